package dev.berth.registry.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Pure checks on literal addresses: nothing here resolves a name or connects anywhere. */
class AddressPolicyTest {
    private static final String SETTING = "berth.network.allowed-private-targets";
    private static final AddressPolicy DEFAULT = AddressPolicy.of(List.of(), Set.of(), SETTING);

    static Stream<Arguments> classes() {
        return Stream.of(
                Arguments.of("203.0.113.7", AddressClass.PUBLIC),
                Arguments.of("8.8.8.8", AddressClass.PUBLIC),
                Arguments.of("172.32.0.1", AddressClass.PUBLIC),
                Arguments.of("100.128.0.1", AddressClass.PUBLIC),
                Arguments.of("127.0.0.1", AddressClass.LOOPBACK),
                Arguments.of("127.255.1.2", AddressClass.LOOPBACK),
                Arguments.of("10.1.2.3", AddressClass.PRIVATE),
                Arguments.of("172.16.0.1", AddressClass.PRIVATE),
                Arguments.of("172.31.255.254", AddressClass.PRIVATE),
                Arguments.of("192.168.1.1", AddressClass.PRIVATE),
                Arguments.of("169.254.169.254", AddressClass.LINK_LOCAL),
                Arguments.of("100.64.0.1", AddressClass.SHARED),
                Arguments.of("100.127.255.255", AddressClass.SHARED),
                Arguments.of("0.0.0.0", AddressClass.UNSPECIFIED),
                Arguments.of("224.0.0.1", AddressClass.MULTICAST),
                Arguments.of("255.255.255.255", AddressClass.MULTICAST),
                Arguments.of("240.0.0.1", AddressClass.RESERVED),
                Arguments.of("2001:4860:4860::8888", AddressClass.PUBLIC),
                Arguments.of("::1", AddressClass.LOOPBACK),
                Arguments.of("::", AddressClass.UNSPECIFIED),
                Arguments.of("fc00::1", AddressClass.PRIVATE),
                Arguments.of("fd12:3456::1", AddressClass.PRIVATE),
                Arguments.of("fe80::1", AddressClass.LINK_LOCAL),
                Arguments.of("febf::1", AddressClass.LINK_LOCAL),
                Arguments.of("ff02::1", AddressClass.MULTICAST),
                Arguments.of("2001:db8::1", AddressClass.RESERVED),
                // IPv6 spellings of IPv4 addresses are classed by the IPv4 address they reach
                Arguments.of("::ffff:127.0.0.1", AddressClass.LOOPBACK),
                Arguments.of("::ffff:169.254.169.254", AddressClass.LINK_LOCAL),
                Arguments.of("::ffff:10.0.0.1", AddressClass.PRIVATE),
                Arguments.of("::ffff:203.0.113.7", AddressClass.PUBLIC),
                Arguments.of("::127.0.0.1", AddressClass.LOOPBACK),
                Arguments.of("64:ff9b::a9fe:a9fe", AddressClass.LINK_LOCAL),
                Arguments.of("2002:7f00:1::1", AddressClass.LOOPBACK),
                Arguments.of("2002:cb00:7107::1", AddressClass.PUBLIC));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @MethodSource
    void classes(String literal, AddressClass expected) throws Exception {
        InetAddress address = InetAddress.getByName(literal);
        assertThat(Addresses.classify(address)).isEqualTo(expected);
        var verdict = DEFAULT.check("registry.example", address);
        if (expected == AddressClass.PUBLIC) {
            assertThat(verdict).isInstanceOf(AddressPolicy.Allowed.class);
        } else {
            assertThat(verdict).isInstanceOf(AddressPolicy.Refused.class);
            assertThat(((AddressPolicy.Refused) verdict).reason()).startsWith("'registry.example' resolves to "
                    + address.getHostAddress() + ", " + expected.phrase() + " address; Berth does not connect to loopback")
                    .endsWith("(" + SETTING + ")");
        }
    }

    static Stream<Arguments> names() {
        return Stream.of(
                Arguments.of("registry.example", true),
                Arguments.of("203.0.113.9", true),
                Arguments.of("localhost", false),
                Arguments.of("LOCALHOST.", false),
                Arguments.of("api.localhost", false),
                Arguments.of("2130706433", false),
                Arguments.of("0177.0.0.1", false),
                Arguments.of("0x7f.0.0.1", false),
                Arguments.of("0x7f000001", false),
                Arguments.of("127.1", false),
                Arguments.of("127.000.000.001", false),
                Arguments.of("1e100.net", true),
                Arguments.of("123.example", true));
    }

    @ParameterizedTest(name = "{0} allowed by name: {1}")
    @MethodSource
    void names(String host, boolean allowed) {
        assertThat(DEFAULT.checkName(host) instanceof AddressPolicy.Allowed).isEqualTo(allowed);
    }

    @Test
    void theAllowListOpensRangesAndNamesAndNothingElse() throws Exception {
        var policy = AddressPolicy.of(List.of("127.0.0.0/8", "fd00::/8", "10.9.8.7", "Registry.Internal", "localhost"),
                Set.of(), SETTING);
        assertThat(policy.check("r", InetAddress.getByName("127.0.0.1"))).isInstanceOf(AddressPolicy.Allowed.class);
        assertThat(policy.check("r", InetAddress.getByName("::ffff:127.0.0.2"))).isInstanceOf(AddressPolicy.Allowed.class);
        assertThat(policy.check("r", InetAddress.getByName("fd00::5"))).isInstanceOf(AddressPolicy.Allowed.class);
        assertThat(policy.check("r", InetAddress.getByName("10.9.8.7"))).isInstanceOf(AddressPolicy.Allowed.class);
        assertThat(policy.check("r", InetAddress.getByName("10.9.8.8"))).isInstanceOf(AddressPolicy.Refused.class);
        assertThat(policy.check("r", InetAddress.getByName("169.254.169.254"))).isInstanceOf(AddressPolicy.Refused.class);
        assertThat(policy.check("r", InetAddress.getByName("::1"))).isInstanceOf(AddressPolicy.Refused.class);
        assertThat(policy.check("registry.internal", InetAddress.getByName("192.168.0.1"))).isInstanceOf(AddressPolicy.Allowed.class);
        assertThat(policy.checkName("localhost")).isInstanceOf(AddressPolicy.Allowed.class);
        assertThat(policy.checkName("2130706433")).isInstanceOf(AddressPolicy.Refused.class);
    }

    @Test
    void thePlatformsOwnPublicAddressesAreRefused() throws Exception {
        InetAddress own = InetAddress.getByName("203.0.113.50");
        var policy = AddressPolicy.of(List.of(), Set.of(own), SETTING);
        assertThat(policy.check("me.example", own)).isEqualTo(new AddressPolicy.Refused("'me.example' resolves to 203.0.113.50,"
                + " this platform's own address; Berth does not connect to loopback, private, link-local or its own"
                + " addresses unless an administrator allows them (" + SETTING + ")"));
        assertThat(policy.check("other.example", InetAddress.getByName("203.0.113.51"))).isInstanceOf(AddressPolicy.Allowed.class);
    }

    @Test
    void badAllowListEntriesAreNamed() {
        assertThatThrownBy(() -> AddressPolicy.of(List.of("10.0.0.0/33"), Set.of(), SETTING))
                .hasMessageContaining("prefix /33 is out of range");
        assertThatThrownBy(() -> AddressPolicy.of(List.of("http://x"), Set.of(), SETTING))
                .hasMessage(SETTING + ": 'http://x' is not an address, a range or a host name");
        assertThatThrownBy(() -> AddressPolicy.of(List.of("0177.0.0.1"), Set.of(), SETTING))
                .hasMessage(SETTING + ": '0177.0.0.1' is not an address, a range or a host name");
    }

    @Test
    void theGuardRefusesANameWithAnyForbiddenAddress() throws Exception {
        var guard = new TargetGuard(DEFAULT, host -> new InetAddress[] {
                InetAddress.getByName("203.0.113.7"), InetAddress.getByName("10.0.0.1")});
        assertThatThrownBy(() -> guard.check("mixed.example")).isInstanceOf(ForbiddenTargetException.class)
                .hasMessageStartingWith("'mixed.example' resolves to 10.0.0.1, a private address");
        var publicOnly = new TargetGuard(DEFAULT, host -> new InetAddress[] {InetAddress.getByName("203.0.113.7")});
        assertThat(publicOnly.check("public.example")).containsExactly(InetAddress.getByName("203.0.113.7"));
    }
}
