package dev.berth.platform.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.problem.Problem;
import dev.berth.registry.network.Cidr;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class EgressRangesTest {

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of(List.of("10.20.0.0/16", "fd00:1::/64"), List.of("10.20.0.0/16", "fd00:1::/64")),
                Arguments.of(List.of(" 10.20.0.5/32 "), List.of("10.20.0.5/32")),
                Arguments.of(List.of("FD00:0001:0:0::/64"), List.of("fd00:1::/64")),
                Arguments.of(List.of("2001:db8:0:1::/64"), List.of("2001:db8:0:1::/64")),
                Arguments.of(List.of("fe80::/10", "169.254.0.0/16", "100.64.0.0/10"), List.of("fe80::/10", "169.254.0.0/16", "100.64.0.0/10")),
                Arguments.of(List.of("10.0.0.0/8", "10.0.0.0/8"), List.of("10.0.0.0/8")),
                Arguments.of(List.of(), List.of()));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource
    void accepted(List<String> given, List<String> stored) {
        assertThat(EgressRanges.parse(given).stream().map(EgressRanges::text).toList()).isEqualTo(stored);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("10.20.0.1/16", "ranges[0] '10.20.0.1/16' has bits set past its /16 prefix; did you mean 10.20.0.0/16?"),
                Arguments.of("fd00:1::5/64", "did you mean fd00:1::/64?"),
                Arguments.of("10.20.0.5", "ranges[0] '10.20.0.5' has no prefix length: write 10.20.0.5/32"),
                Arguments.of("10.20.0.0/33", "ranges[0] '10.20.0.0/33' is not a range: prefix /33 is out of range"),
                Arguments.of("db.internal/32", "ranges[0] 'db.internal/32' is not a range"),
                Arguments.of("127.0.0.0/8", "ranges[0] '127.0.0.0/8' includes a loopback range"),
                Arguments.of("::1/128", "includes a loopback range"),
                Arguments.of("0.0.0.0/0", "includes a loopback range"),
                Arguments.of("0.0.0.0/8", "includes an unspecified range"),
                Arguments.of("224.0.0.0/4", "includes a multicast or broadcast range"),
                Arguments.of("ff00::/8", "includes a multicast or broadcast range"),
                Arguments.of("::ffff:0:0/96", "not a range"),
                Arguments.of("", "ranges[0] is empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refused(String entry, String message) {
        assertThatThrownBy(() -> EgressRanges.parse(List.of(entry))).isInstanceOf(Problem.Invalid.class).hasMessageContaining(message);
    }

    @Test
    void theEntryIsNamedByItsPlaceAndTheListIsCapped() {
        assertThatThrownBy(() -> EgressRanges.parse(List.of("10.0.0.0/8", "127.0.0.1/32")))
                .hasMessageStartingWith("ranges[1] '127.0.0.1/32'");
        var many = Collections.nCopies(EgressRanges.MAX + 1, "10.0.0.0/8");
        assertThatThrownBy(() -> EgressRanges.parse(many)).isInstanceOf(Problem.Invalid.class)
                .hasMessage("a team may have at most 64 allowed ranges; 65 were given");
        assertThatThrownBy(() -> EgressRanges.parse(null)).isInstanceOf(Problem.Invalid.class).hasMessageStartingWith("ranges is required");
    }

    static Stream<Arguments> texts() {
        return Stream.of(Arguments.of("::/0", "::/0"), Arguments.of("::1/128", "::1/128"), Arguments.of("1:0:0:2::/64", "1:0:0:2::/64"),
                Arguments.of("1:0:0:2:0:0:0:3/128", "1:0:0:2::3/128"), Arguments.of("1:0:2:0:3:0:4:0/128", "1:0:2:0:3:0:4:0/128"),
                Arguments.of("fd00::/8", "fd00::/8"), Arguments.of("203.0.113.0/24", "203.0.113.0/24"));
    }

    @ParameterizedTest(name = "{0} is written {1}")
    @MethodSource
    void texts(String range, String text) {
        assertThat(EgressRanges.text(Cidr.parse(range))).isEqualTo(text);
    }
}
