package dev.berth.agent.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.network.Addresses;
import dev.berth.registry.network.Cidr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rules of connects the kernel forwards, as text: the consumer's own table and the host's paths. */
class ConnectsRulesTest {
    private static final FirewallRules RULES = new FirewallRules("berth_t");

    private static InetSocketAddress at(String address, int port) {
        return new InetSocketAddress(InetAddress.ofLiteral(address), port);
    }

    private static Inet4Address v4(String literal) {
        return (Inet4Address) InetAddress.ofLiteral(literal);
    }

    @Test
    void theConsumersTableDnatsItsTurnsAndLeavesTheOthersToTheListener() {
        var script = ConnectsTable.script(List.of(new ConnectForward(15432, 3, List.of(at("203.0.113.4", 5432), at("203.0.113.6", 5432))),
                new ConnectForward(6379, 1, List.of(at("203.0.113.8", 6379)))));

        assertThat(script).isEqualTo("""
                add table ip berth_connects
                add chain ip berth_connects output { type nat hook output priority -100; policy accept; }
                add chain ip berth_connects postrouting { type nat hook postrouting priority srcnat; policy accept; }
                add chain ip berth_connects leak { type filter hook postrouting priority 200; policy accept; }
                flush table ip berth_connects
                add rule ip berth_connects output ip daddr 127.0.0.1 tcp dport 15432 counter dnat ip to numgen inc mod 3 map { 0 : 203.0.113.4 . 5432, 1 : 203.0.113.6 . 5432 } comment "connect 15432"
                add rule ip berth_connects output ip daddr 127.0.0.1 tcp dport 6379 counter dnat ip to numgen inc mod 1 map { 0 : 203.0.113.8 . 6379 } comment "connect 6379"
                add rule ip berth_connects postrouting oifname != "lo" ct status dnat ip saddr 127.0.0.0/8 masquerade comment "a connect leaves with the container's address"
                add rule ip berth_connects leak oifname != "lo" ip saddr 127.0.0.0/8 counter drop comment "no other loopback packet leaves"
                """);
    }

    @Test
    void withNothingForwardedTheChainsStayForWhatWasForwardedAndOnlyARemovalDeletesTheTable() {
        // Without a nat chain in the namespace the kernel would stop translating the connections it forwarded.
        assertThat(ConnectsTable.script(List.of())).contains("add chain ip berth_connects output", "flush table ip berth_connects\n")
                .doesNotContain("dnat ip to", "delete");
        assertThat(ConnectsTable.REMOVE).isEqualTo("""
                add table ip berth_connects
                delete table ip berth_connects
                """);
    }

    @Test
    void aForwardNeedsSomeButNotMoreThanItsSlotsOfIpv4Backends() {
        record Case(int local, int slots, List<InetSocketAddress> kernel, String error) {
        }
        for (var c : List.of(
                new Case(15432, 1, List.of(), "0 forwarded backends of 1"),
                new Case(15432, 1, List.of(at("203.0.113.4", 1), at("203.0.113.6", 1)), "2 forwarded backends of 1"),
                new Case(0, 1, List.of(at("203.0.113.4", 1)), "local port 0"),
                new Case(15432, 1, List.of(at("2001:db8::1", 1)), "not an IPv4 address"),
                new Case(15432, 1, List.of(at("203.0.113.4", 0)), "port 1-65535"))) {
            assertThatThrownBy(() -> new ConnectForward(c.local(), c.slots(), c.kernel())).as(c.toString())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(c.error());
        }
    }

    @Test
    void theHostsPathsAreReplacedWholeKeyedByTheConsumersInterface() {
        var script = RULES.connectPaths(List.of(new ConnectPath("veth1a2b3c4d", v4("203.0.113.2"), v4("203.0.113.4"), 5432),
                new ConnectPath("veth1a2b3c4d", v4("203.0.113.2"), v4("203.0.113.6"), 5432)));

        assertThat(script).isEqualTo("""
                add set inet berth_t connects4 { type ifname . ipv4_addr . ipv4_addr . inet_service; }
                add set inet berth_t connects_replies4 { type ipv4_addr . ipv4_addr . inet_service; }
                flush set inet berth_t connects4
                flush set inet berth_t connects_replies4
                add element inet berth_t connects4 { "veth1a2b3c4d" . 203.0.113.2 . 203.0.113.4 . 5432, "veth1a2b3c4d" . 203.0.113.2 . 203.0.113.6 . 5432 }
                add element inet berth_t connects_replies4 { 203.0.113.2 . 203.0.113.4 . 5432, 203.0.113.2 . 203.0.113.6 . 5432 }
                """);
        assertThat(RULES.connectPaths(List.of())).doesNotContain("add element");
        assertThatThrownBy(() -> new ConnectPath("bad name!", v4("203.0.113.2"), v4("203.0.113.4"), 5432))
                .hasMessageContaining("not a valid Linux interface name");
    }

    @Test
    void theForwardChainLetsConnectPathsThroughBeforeAnythingIsDroppedAndARepairEmptiesThem() {
        String script = RULES.base(List.of(Cidr.parse("203.0.113.0/24")), Addresses.nonPublicRanges(),
                new TableListing(Set.of(), Set.of(), Map.of(), List.of()));

        int paths = script.indexOf("add rule inet berth_t forward iifname . ip saddr . ip daddr . tcp dport @connects4 accept");
        int replies = script.indexOf("add rule inet berth_t forward ct direction reply ip daddr . ip saddr . tcp sport @connects_replies4 accept");
        assertThat(paths).isPositive();
        assertThat(replies).isPositive();
        assertThat(script.indexOf("counter drop")).isGreaterThan(Math.max(paths, replies));
        assertThat(script.indexOf("iifname vmap @container_forward")).isGreaterThan(Math.max(paths, replies));
        assertThat(script).contains("flush set inet berth_t connects4\n", "flush set inet berth_t connects_replies4\n");
    }

    @Test
    void conntrackCountsOpenConnectionsAddressedToAProducerItself() {
        // As the host sees connects a consumer's namespace DNAT'ed: not NAT'ed here, addressed to the producer.
        String listing = """
                ipv4     2 tcp      6 431999 ESTABLISHED src=203.0.113.2 dst=203.0.113.4 sport=51000 dport=5432 src=203.0.113.4 dst=203.0.113.2 sport=5432 dport=51000 [ASSURED] mark=0 zone=0 use=2
                ipv4     2 tcp      6 119 SYN_SENT src=203.0.113.2 dst=203.0.113.4 sport=51001 dport=5432 [UNREPLIED] src=203.0.113.4 dst=203.0.113.2 sport=5432 dport=51001 mark=0 zone=0 use=2
                ipv4     2 tcp      6 100 TIME_WAIT src=203.0.113.2 dst=203.0.113.4 sport=51002 dport=5432 src=203.0.113.4 dst=203.0.113.2 sport=5432 dport=51002 [ASSURED] mark=0 zone=0 use=2
                ipv4     2 tcp      6 431999 ESTABLISHED src=203.0.113.2 dst=203.0.113.4 sport=51003 dport=8080 src=203.0.113.4 dst=203.0.113.2 sport=8080 dport=51003 [ASSURED] mark=0 zone=0 use=2
                ipv4     2 tcp      6 431999 ESTABLISHED src=127.0.0.1 dst=127.0.0.1 sport=51004 dport=18080 src=203.0.113.4 dst=203.0.113.1 sport=5432 dport=51004 [ASSURED] mark=0 zone=0 use=2
                """;

        // Open and addressed to 203.0.113.4:5432: the established one and the one connecting; not the closed one,
        // another port, or one a published port forwarded there (counted by forwardedTo).
        assertThat(Conntrack.addressedTo(listing, at("203.0.113.4", 5432))).isEqualTo(2);
        assertThat(Conntrack.addressedTo(listing, at("203.0.113.6", 5432))).isZero();
        assertThat(Conntrack.forwardedTo(listing, at("203.0.113.4", 5432))).isEqualTo(1);
    }
}
