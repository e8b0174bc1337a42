package dev.berth.agent.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.network.Addresses;
import dev.berth.registry.network.Cidr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The nft scripts that forward published ports, rendered without a kernel. */
class ForwardRulesTest {
    private static final ForwardRules RULES = new ForwardRules("berth_t");
    private static final String T = "inet berth_t ";
    private static final Inet4Address LOOPBACK = (Inet4Address) InetAddress.ofLiteral("127.0.0.1");
    private static final InetSocketAddress A = new InetSocketAddress(InetAddress.ofLiteral("198.51.100.2"), 8080);
    private static final InetSocketAddress B = new InetSocketAddress(InetAddress.ofLiteral("198.51.100.4"), 8080);

    private static Map<PortForward.Key, PortForward> installed(PortForward... forwards) {
        var out = new LinkedHashMap<PortForward.Key, PortForward>();
        for (PortForward f : forwards) out.put(f.key(), f);
        return out;
    }

    static Stream<Arguments> scripts() {
        var one = new PortForward(LOOPBACK, 18080, List.of(A), List.of());
        var two = new PortForward(LOOPBACK, 18080, List.of(A, B), List.of());
        var wildcard = new PortForward(null, 18080, List.of(B), List.of(A));
        return Stream.of(
                Arguments.of("a new port: its chain, its rule, its map entry, its target", one, installed(),
                        List.of("add chain " + T + "pp_127_0_0_1_18080", "flush chain " + T + "pp_127_0_0_1_18080",
                                "add rule " + T + "pp_127_0_0_1_18080 meta l4proto tcp counter dnat ip to numgen inc mod 1 map { 0 : 198.51.100.2 . 8080 } comment \"published 127.0.0.1:18080\"",
                                "add element " + T + "published_addr4 { 127.0.0.1 . 18080 : jump pp_127_0_0_1_18080 }",
                                "flush set " + T + "published_targets4\nadd element " + T + "published_targets4 { 198.51.100.2 . tcp . 8080 }"),
                        List.of("delete")),
                Arguments.of("a second replica: the rule is replaced, the map entry stays", two, installed(one),
                        List.of("flush chain " + T + "pp_127_0_0_1_18080",
                                "numgen inc mod 2 map { 0 : 198.51.100.2 . 8080, 1 : 198.51.100.4 . 8080 }",
                                "published_targets4 { 198.51.100.2 . tcp . 8080, 198.51.100.4 . tcp . 8080 }"),
                        List.of("add element " + T + "published_addr4", "delete")),
                Arguments.of("a wildcard publish is keyed by its port; a member not serving stays a target", wildcard, installed(),
                        List.of("add element " + T + "published_any4 { 18080 : jump pp_any_18080 }",
                                "numgen inc mod 1 map { 0 : 198.51.100.4 . 8080 }",
                                "published_targets4 { 198.51.100.4 . tcp . 8080, 198.51.100.2 . tcp . 8080 }"),
                        List.of("published_addr4")),
                Arguments.of("nothing serving: the entry and the chain go, connections reach the listener",
                        new PortForward(LOOPBACK, 18080, List.of(), List.of(A)), installed(one),
                        List.of("delete element " + T + "published_addr4 { 127.0.0.1 . 18080 }", "delete chain " + T + "pp_127_0_0_1_18080",
                                "published_targets4 { 198.51.100.2 . tcp . 8080 }"),
                        List.of("dnat")),
                Arguments.of("removed: nothing left, not even a target", PortForward.none(LOOPBACK, 18080), installed(one),
                        List.of("delete element " + T + "published_addr4 { 127.0.0.1 . 18080 }", "flush set " + T + "published_targets4"),
                        List.of("add element")),
                Arguments.of("removing what was never forwarded deletes nothing", PortForward.none(LOOPBACK, 18080), installed(),
                        List.of("flush set"), List.of("delete")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void rendersTheChange(String name, PortForward change, Map<PortForward.Key, PortForward> before, List<String> present, List<String> absent) {
        var after = new LinkedHashMap<>(before);
        if (change.members().isEmpty()) after.remove(change.key());
        else after.put(change.key(), change);

        String script = RULES.apply(List.of(change), before, after.values());

        for (String s : present) assertThat(script).contains(s);
        for (String s : absent) assertThat(script).doesNotContain(s);
    }

    @Test
    void theBaseLetsInOnlyForwardedConnectionsAndNeverForwardsAContainersOwnPackets() {
        var now = new TableListing(Set.of("forward", "prerouting", "pp_any_8080", "pp_127_0_0_1_9090", "c_app"), Set.of(), Map.of(), List.of());

        String script = new FirewallRules("berth_t").base(List.of(Cidr.parse("198.51.100.0/28")), Addresses.nonPublicRanges(), now);

        assertThat(script).contains(
                "flush map " + T + "published_addr4\n", "flush map " + T + "published_any4\n", "flush set " + T + "published_targets4\n",
                "delete chain " + T + "pp_127_0_0_1_9090\n", "delete chain " + T + "pp_any_8080\n",
                "add rule " + T + "forward ct direction reply ct status dnat ip saddr @subnets4 accept",
                "add rule " + T + "forward ip daddr @subnets4 ct state != { established, related } ct status & dnat == 0 counter drop",
                "add rule " + T + "forward ip daddr @subnets4 ct state != { established, related } ip daddr . meta l4proto . th dport != @published_targets4 counter drop",
                "add rule " + T + "input ct direction reply ct status dnat ip saddr @subnets4 accept",
                "add rule " + T + "prerouting ip saddr @subnets4 return\nadd rule " + T + "prerouting meta l4proto tcp ip daddr . tcp dport vmap @published_addr4",
                "add rule " + T + "output meta l4proto tcp fib daddr type local tcp dport vmap @published_any4",
                "add rule " + T + "postrouting ct status dnat ip saddr 127.0.0.0/8 ip daddr @subnets4 masquerade")
                .doesNotContain("delete chain " + T + "c_app", "route_localnet");
        // The port chains go only once no map entry points at them any more.
        assertThat(script.indexOf("flush map " + T + "published_any4")).isLessThan(script.indexOf("delete chain " + T + "pp_any_8080"));
        // Replies pass before the container's own chains would refuse them.
        assertThat(script.indexOf("forward ct direction reply")).isLessThan(script.indexOf("forward iifname vmap"));
    }

    @Test
    void portChainsAreNamedAfterAddressAndPortAndAreNoContainersObjects() {
        assertThat(TableObjects.forwardedPortChain(LOOPBACK, 80)).isEqualTo("pp_127_0_0_1_80");
        assertThat(TableObjects.forwardedPortChain(null, 65535)).isEqualTo("pp_any_65535");
        assertThat(TableObjects.isForwardedPortChain("pp_any_65535")).isTrue();
        assertThat(TableObjects.isForwardedPortChain("c_pp_any_80")).isFalse();
        assertThat(TableObjects.containerOf("pp_any_80")).isNull();
    }

    @Test
    void aForwardRefusesWhatItCannotWrite() {
        var v6 = new InetSocketAddress(InetAddress.ofLiteral("2001:db8::2"), 8080);
        assertThatThrownBy(() -> new PortForward(null, 0, List.of(A), List.of())).hasMessageContaining("published port 0 is not 1-65535");
        assertThatThrownBy(() -> new PortForward(null, 80, List.of(v6), List.of())).hasMessageContaining("not an IPv4 address");
        assertThat(new PortForward(null, 80, List.of(B), List.of(A)).members()).containsExactly(B, A);
    }

    @Test
    void conntrackCountsOpenConnectionsForwardedToABackend() {
        String listing = """
                ipv4     2 tcp      6 431999 ESTABLISHED src=127.0.0.1 dst=127.0.0.1 sport=51000 dport=18080 src=198.51.100.2 dst=198.51.100.1 sport=8080 dport=51000 [ASSURED] mark=0 zone=0 use=2
                ipv4     2 tcp      6 119 SYN_SENT src=203.0.113.234 dst=203.0.113.233 sport=51001 dport=18080 [UNREPLIED] src=198.51.100.2 dst=203.0.113.234 sport=8080 dport=51001 mark=0 zone=0 use=2
                ipv4     2 tcp      6 100 TIME_WAIT src=127.0.0.1 dst=127.0.0.1 sport=51002 dport=18080 src=198.51.100.2 dst=198.51.100.1 sport=8080 dport=51002 [ASSURED] mark=0 zone=0 use=2
                ipv4     2 tcp      6 431999 ESTABLISHED src=198.51.100.1 dst=198.51.100.2 sport=51003 dport=8080 src=198.51.100.2 dst=198.51.100.1 sport=8080 dport=51003 [ASSURED] mark=0 zone=0 use=2
                ipv4     2 tcp      6 431999 ESTABLISHED src=127.0.0.1 dst=127.0.0.1 sport=51004 dport=18080 src=198.51.100.4 dst=198.51.100.1 sport=8080 dport=51004 [ASSURED] mark=0 zone=0 use=2
                ipv4     2 udp      17 30 src=127.0.0.1 dst=127.0.0.1 sport=51005 dport=18080 src=198.51.100.2 dst=198.51.100.1 sport=8080 dport=51005 mark=0 zone=0 use=2
                """;

        // Open and forwarded: the established one and the one still connecting; not the closed one, the direct one, B's or UDP.
        assertThat(Conntrack.forwardedTo(listing, A)).isEqualTo(2);
        assertThat(Conntrack.forwardedTo(listing, B)).isEqualTo(1);
        assertThat(Conntrack.forwardedTo("", A)).isZero();
    }
}
