package dev.berth.registry.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Ranges rather than addresses: which non-public classes a whole range reaches. */
class RangeClassesTest {
    private static final Set<AddressClass> NONE = Set.of();

    static Stream<Arguments> ranges() {
        return Stream.of(
                Arguments.of("203.0.113.0/24", NONE),
                Arguments.of("8.8.8.8/32", NONE),
                // bounds alone would miss it: 8.0.0.0 and 15.255.255.255 are public, 10/8 is inside
                Arguments.of("8.0.0.0/5", Set.of(AddressClass.PRIVATE)),
                Arguments.of("10.20.0.0/16", Set.of(AddressClass.PRIVATE)),
                Arguments.of("10.20.0.5/32", Set.of(AddressClass.PRIVATE)),
                Arguments.of("127.0.0.0/8", Set.of(AddressClass.LOOPBACK)),
                Arguments.of("255.255.255.0/24", Set.of(AddressClass.RESERVED, AddressClass.MULTICAST)),
                Arguments.of("224.0.0.0/3", Set.of(AddressClass.MULTICAST, AddressClass.RESERVED)),
                Arguments.of("2001:4860::/32", NONE),
                Arguments.of("fd00:1::/64", Set.of(AddressClass.PRIVATE)),
                Arguments.of("fe80::/64", Set.of(AddressClass.LINK_LOCAL)),
                Arguments.of("2002:cb00:7100::/40", NONE),
                Arguments.of("2002:0a00::/24", Set.of(AddressClass.PRIVATE)),
                Arguments.of("64:ff9b::a9fe:0/112", Set.of(AddressClass.LINK_LOCAL)));
    }

    @ParameterizedTest(name = "{0} reaches {1}")
    @MethodSource
    void ranges(String range, Set<AddressClass> expected) {
        assertThat(Addresses.nonPublicClassesIn(Cidr.parse(range))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} reaches everything but public")
    @MethodSource("everything")
    void wideRangesReachEveryClass(String range) {
        assertThat(Addresses.nonPublicClassesIn(Cidr.parse(range))).contains(AddressClass.PRIVATE, AddressClass.LOOPBACK,
                AddressClass.UNSPECIFIED, AddressClass.MULTICAST, AddressClass.LINK_LOCAL);
    }

    static Stream<String> everything() {
        return Stream.of("0.0.0.0/0", "::/0", "2002::/16", "2000::/3");
    }

    @org.junit.jupiter.api.Test
    void hostBitsAndContainment() {
        assertThat(Cidr.parse("10.1.2.3/16").withoutHostBits()).isEqualTo(Cidr.parse("10.1.0.0/16"));
        assertThat(Cidr.parse("fd00:1::5/64").withoutHostBits()).isEqualTo(Cidr.parse("fd00:1::/64"));
        assertThat(Cidr.parse("10.0.0.0/8").contains(Cidr.parse("10.20.0.0/16"))).isTrue();
        assertThat(Cidr.parse("10.20.0.0/16").contains(Cidr.parse("10.0.0.0/8"))).isFalse();
        assertThat(Cidr.parse("10.0.0.0/8").contains(Cidr.parse("fd00::/8"))).isFalse();
    }
}
