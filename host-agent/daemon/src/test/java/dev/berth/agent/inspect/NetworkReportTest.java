package dev.berth.agent.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading a container's network from /proc, and comparing it with what the agent set up. */
class NetworkReportTest {
    private static final String NET_DEV = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
              eth0:    1296      16    0    0    0     0          0         0      796      10    0    0    0     0       0          0
            """;
    private static final String ROUTE = """
            Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
            eth0\t00000000\t416433C6\t0003\t0\t0\t0\t00000000\t0\t0\t0
            eth0\t406433C6\t416433C6\t0003\t0\t0\t0\tC0FFFFFF\t0\t0\t0
            eth0\t416433C6\t00000000\t0005\t0\t0\t0\tFFFFFFFF\t0\t0\t0
            """;
    private static final String FIB_TRIE = """
            Main:
              +-- 0.0.0.0/0 3 0 5
                 |-- 0.0.0.0
                    /0 universe UNICAST
                 |-- 198.51.100.66
                    /32 link UNICAST
            Local:
              +-- 0.0.0.0/0 3 0 5
                 +-- 127.0.0.0/8 2 0 2
                    |-- 127.0.0.0
                       /8 host LOCAL
                    |-- 127.0.0.1
                       /32 host LOCAL
                    |-- 127.255.255.255
                       /32 link BROADCAST
                 |-- 198.51.100.66
                    /32 host LOCAL
            """;

    /** Firewall.describe's form: the interfaces, then each chain's rules with their comments. */
    private static final String LISTED = """
            container web: packets from veth1a2b
            to other hosts (first match decides):
              ip saddr != { 198.51.100.66 } counter drop comment "spoofed"
              ip daddr { 203.0.113.53 } udp dport 53 accept comment "DNS to its resolvers"
              ip daddr 10.0.0.5/32 meta l4proto { tcp, udp } th dport 5432 accept comment "allowed: 10.0.0.5/32 port 5432"
              ip daddr != @nonpublic4 ip daddr != @subnets4 accept comment "public internet"
            to this host:
              ip daddr { 203.0.113.53 } udp dport 53 accept comment "DNS to its resolvers"
            """;

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "as listed|veth1a2b|true|1|true|true",
            "another interface's rules|veth9|true|1|true|false",
            "public egress it should not have|veth1a2b|false|1|true|false",
            "an allowed destination too many|veth1a2b|true|0|true|false",
            "DNS it should not have|veth1a2b|true|1|false|false"})
    void firewallRulesHoldOnlyAsPromised(String why, String host, boolean publicEgress, int allowed, boolean dns, boolean holds) {
        var rules = new NetworkReport.Rules(host, publicEgress, allowed, dns, LISTED);
        assertThat(rules.expected().equals(rules.actual())).as(why + ": " + rules.actual()).isEqualTo(holds);
        assertThat(rules.actual()).isEqualTo("packets from veth1a2b: public internet, 1 allowed destination, DNS to its resolvers allowed,"
                + " everything else dropped");
        var none = new NetworkReport.Rules(host, publicEgress, allowed, dns, "container web has no rules in table inet t\n");
        assertThat(none.actual()).isEqualTo("container web has no rules in table inet t");
        assertThat(new NetworkReport.Rules(host, publicEgress, allowed, dns, null).actual()).isEqualTo("the rules could not be listed");
    }

    @Test
    void procParsers() {
        assertThat(NetworkView.interfaces(NET_DEV)).containsExactly("eth0", "lo");
        assertThat(NetworkView.routes(ROUTE)).containsExactly("0.0.0.0/0 via 198.51.100.65 dev eth0",
                "198.51.100.64/26 via 198.51.100.65 dev eth0", "198.51.100.65/32 dev eth0");
        assertThat(NetworkView.localAddresses(FIB_TRIE)).containsExactly("127.0.0.1", "198.51.100.66");
        assertThat(NetworkView.nameservers("# c\nnameserver 203.0.113.53\noptions ndots:0\n")).containsExactly("203.0.113.53");
    }

    @Test
    void anAttachedContainerPassesWhenItsNamespaceMatches() {
        var seen = new NetworkView(NetworkView.interfaces(NET_DEV), NetworkView.localAddresses(FIB_TRIE), NetworkView.routes(ROUTE),
                List.of("203.0.113.53"));
        var promised = new NetworkReport.Promised(List.of("198.51.100.66"), "198.51.100.65", List.of("203.0.113.53"),
                new NetworkReport.Rules("veth1a2b", true, 1, true, LISTED));
        var items = NetworkReport.evaluate(promised, seen);
        assertThat(items).extracting(IsolationReport.Item::name)
                .containsExactly("network interfaces", "network addresses", "default route", "resolvers", "firewall");
        assertThat(items).allSatisfy(i -> assertThat(i.pass()).as(i.toString()).isTrue());
    }

    @Test
    void aMismatchOrMissingRulesFail() {
        var seen = new NetworkView(List.of("eth0", "eth1", "lo"), List.of("127.0.0.1", "198.51.100.66"), List.of(), List.of());
        var promised = new NetworkReport.Promised(List.of("198.51.100.66"), "198.51.100.65", List.of("203.0.113.53"),
                new NetworkReport.Rules("veth1a2b", true, 1, true, null));
        assertThat(NetworkReport.evaluate(promised, seen)).filteredOn(i -> !i.pass()).extracting(IsolationReport.Item::name)
                .containsExactly("network interfaces", "default route", "resolvers", "firewall");
    }

    @Test
    void withoutANetworkOnlyLoopbackExists() {
        var loopbackOnly = new NetworkView(List.of("lo"), List.of("127.0.0.1"), List.of(), List.of());
        assertThat(NetworkReport.evaluate(null, loopbackOnly)).extracting(IsolationReport.Item::name)
                .containsExactly("network interfaces", "network addresses", "default route");
        assertThat(NetworkReport.evaluate(null, loopbackOnly)).allSatisfy(i -> assertThat(i.pass()).isTrue());
        var leaked = new NetworkView(List.of("eth0", "lo"), List.of("127.0.0.1", "198.51.100.66"), List.of("0.0.0.0/0 via 198.51.100.65 dev eth0"), List.of());
        assertThat(NetworkReport.evaluate(null, leaked)).noneMatch(IsolationReport.Item::pass);
    }
}
