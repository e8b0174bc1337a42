package dev.berth.agent.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PortAllocationsTest {
    @TempDir
    Path state;

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "20000-29999 | 20000-29999",
            "' 100 - 200 ' | 100-200",
            "8080-8080 | 8080-8080",
            "200-100 | error: 1 <= LOW <= HIGH <= 65535",
            "0-10 | error: 1 <= LOW <= HIGH <= 65535",
            "1-65536 | error: 1 <= LOW <= HIGH <= 65535",
            "20000 | error: must be LOW-HIGH",
            "a-b | error: must be LOW-HIGH",
            "1-2-3 | error: must be LOW-HIGH"})
    void rangesAreParsed(String text, String expected) {
        if (expected.startsWith("error: ")) {
            assertThatThrownBy(() -> PortRange.parse(text)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(expected.substring(7));
        } else {
            assertThat(PortRange.parse(text)).hasToString(expected);
        }
    }

    /** taken and unusable: comma-separated ports; expected: the port, or none. */
    @ParameterizedTest(name = "{0} taken {1}, unusable {2} → {3}")
    @CsvSource(delimiter = '|', value = {
            "10-12 | '' | '' | 10",
            "10-12 | 10 | '' | 11",
            "10-12 | 10,11 | '' | 12",
            "10-12 | 10 | 11 | 12",
            "10-12 | 10,11,12 | '' | none",
            "10-12 | '' | 10,11,12 | none",
            "10-10 | '' | '' | 10"})
    void theFirstFreePortIsTheLowest(String range, String taken, String unusable, String expected) {
        var free = PortRange.parse(range).firstFree(ports(taken), p -> !ports(unusable).contains(p));
        assertThat(free.isPresent() ? Integer.toString(free.getAsInt()) : "none").isEqualTo(expected);
    }

    private static Set<Integer> ports(String list) {
        if (list.isBlank()) return Set.of();
        return java.util.Arrays.stream(list.split(",")).map(String::strip).map(Integer::valueOf)
                .collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void anAppKeepsItsPortAcrossRestartsAndAppsGetTheirOwn() throws Exception {
        var ports = new PortAllocations(state, new PortRange(30000, 30009));
        assertThat(ports.portFor("web", 8080, p -> true)).isEqualTo(30000);
        assertThat(ports.portFor("web", 8080, p -> true)).as("again").isEqualTo(30000);
        assertThat(ports.portFor("web", 9090, p -> true)).isEqualTo(30001);
        assertThat(ports.portFor("api", 8080, p -> p != 30002)).as("a port held elsewhere is passed over").isEqualTo(30003);

        var reopened = new PortAllocations(state, new PortRange(30000, 30009));
        assertThat(reopened.portFor("web", 8080, p -> false)).as("stable, no new bind needed").isEqualTo(30000);
        assertThat(reopened.portFor("api", 8080, p -> true)).isEqualTo(30003);
        assertThat(Files.readString(state.resolve("ports.json"))).contains("\"web\"").contains("30000");

        var moved = new PortAllocations(state, new PortRange(40000, 40001));
        assertThat(moved.portFor("web", 8080, p -> true)).as("outside a changed range: allocated again").isEqualTo(40000);
    }

    @Test
    void aFullRangeSaysWhichAppAndPortGotNothing() throws Exception {
        var ports = new PortAllocations(state, new PortRange(30000, 30000));
        ports.portFor("web", 8080, p -> true);
        assertThatThrownBy(() -> ports.portFor("api", 80, p -> true))
                .hasMessageContaining("no free host port is left in 30000-30000 for port 80 of app 'api'");
    }
}
