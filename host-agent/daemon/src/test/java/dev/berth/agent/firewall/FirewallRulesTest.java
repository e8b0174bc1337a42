package dev.berth.agent.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.network.AddressClass;
import dev.berth.registry.network.Addresses;
import dev.berth.registry.network.Cidr;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The nft scripts the firewall applies, rendered without a kernel. */
class FirewallRulesTest {
    private static final FirewallRules RULES = new FirewallRules("berth_t");
    private static final String C = "add rule inet berth_t c_app ";
    private static final String I = "add rule inet berth_t i_app ";

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    private static ContainerRules rules(List<String> addresses, boolean publicEgress, List<Destination> allowed, List<String> resolvers) {
        return new ContainerRules("app", "veth1a2b3c4d", addresses.stream().map(FirewallRulesTest::ip).toList(), publicEgress,
                allowed, resolvers.stream().map(FirewallRulesTest::ip).toList());
    }

    private static Destination to(String range, int port) {
        return new Destination(Cidr.parse(range), port);
    }

    private static final List<String> V4 = List.of("198.51.100.2");
    private static final List<String> DNS = List.of("198.51.100.1");

    static Stream<Arguments> containers() {
        return Stream.of(
                row("no egress: refused, counted, no DNS", rules(V4, false, List.of(), DNS),
                        List.of(C + "counter drop comment \"refused\"", I + "counter drop comment \"refused: the host\""),
                        List.of("dport 53", "public internet")),
                row("public egress: public addresses beyond the non-public and the subnets", rules(V4, true, List.of(), DNS),
                        List.of(C + "ip daddr != @nonpublic4 ip daddr != @subnets4 accept comment \"public internet\"",
                                C + "ip6 daddr != @nonpublic6 ip6 daddr != @subnets6 accept comment \"public internet\""), List.of()),
                row("public egress: DNS to its resolvers, forwarded and to the host", rules(V4, true, List.of(), DNS),
                        List.of(C + "ip daddr { 198.51.100.1 } meta l4proto { tcp, udp } th dport 53 accept comment \"DNS to its resolvers\"",
                                I + "ip daddr { 198.51.100.1 } meta l4proto { tcp, udp } th dport 53 accept comment \"DNS to its resolvers\""),
                        List.of()),
                row("public egress without resolvers: no DNS rule, and DNS elsewhere refused",
                        rules(V4, true, List.of(), List.of()),
                        List.of(C + "meta nfproto ipv4 meta l4proto { tcp, udp } th dport 53 add @r4_app { ip daddr . meta l4proto . th dport } counter drop comment \"refused: DNS only to its resolvers\""),
                        List.of("dport 53 accept")),
                row("no egress: no DNS rules at all", rules(V4, false, List.of(), DNS), List.of(), List.of("dport 53")),
                row("an allowed destination naming port 53 passes before the DNS refusal",
                        rules(V4, false, List.of(to("10.9.0.0/24", 0), to("10.53.0.2/32", 53)), DNS),
                        List.of(C + "ip daddr 10.53.0.2/32 meta l4proto { tcp, udp } th dport 53 accept comment \"allowed: 10.53.0.2/32 port 53\"\n"
                                + C + "meta nfproto ipv4 meta l4proto { tcp, udp } th dport 53 add @r4_app",
                                "counter drop comment \"refused: DNS only to its resolvers\"\n" + C
                                        + "ip daddr 10.9.0.0/24 meta l4proto { tcp, udp } accept comment \"allowed: 10.9.0.0/24 every port\""),
                        List.of()),
                row("allowed only: DNS, no public internet", rules(V4, false, List.of(to("10.1.0.0/16", 5432)), DNS),
                        List.of(C + "ip daddr 10.1.0.0/16 meta l4proto { tcp, udp } th dport 5432 accept comment \"allowed: 10.1.0.0/16 port 5432\"",
                                "th dport 53 accept"), List.of("public internet")),
                row("allowed port 0 is every port", rules(V4, false, List.of(to("192.168.7.0/24", 0)), DNS),
                        List.of(C + "ip daddr 192.168.7.0/24 meta l4proto { tcp, udp } accept comment \"allowed: 192.168.7.0/24 every port\""),
                        List.of()),
                row("a range with host bits is written as its network", rules(V4, false, List.of(to("10.1.2.3/16", 80)), DNS),
                        List.of("ip daddr 10.1.0.0/16 meta l4proto"), List.of("10.1.2.3")),
                row("an allowed IPv6 range", rules(V4, false, List.of(to("fd00::/8", 443)), DNS),
                        List.of(C + "ip6 daddr fd00:0:0:0:0:0:0:0/8 meta l4proto { tcp, udp } th dport 443 accept"), List.of()),
                row("an allowed IPv4-mapped range stays IPv6", rules(V4, false,
                                List.of(new Destination(new Cidr(mapped(10, 0, 0, 0), 104), 0)), DNS),
                        List.of(C + "ip6 daddr 0:0:0:0:0:ffff:a00:0/104"), List.of()),
                row("IPv4 only: its IPv6 packets are dropped", rules(V4, true, List.of(), DNS),
                        List.of(C + "ip saddr != { 198.51.100.2 } counter drop comment \"not from its address\"",
                                C + "meta nfproto ipv6 counter drop comment \"it has no IPv6 address\""), List.of()),
                row("IPv6 only: its IPv4 packets are dropped", rules(List.of("2001:db8::2"), true, List.of(), List.of()),
                        List.of(C + "meta nfproto ipv4 counter drop comment \"it has no IPv4 address\"",
                                C + "ip6 saddr != { 2001:db8:0:0:0:0:0:2 } counter drop"), List.of()),
                row("dual stack: both source checks", rules(List.of("198.51.100.2", "198.51.100.3", "2001:db8::2"), true, List.of(), DNS),
                        List.of("ip saddr != { 198.51.100.2, 198.51.100.3 } counter drop", "ip6 saddr != { 2001:db8:0:0:0:0:0:2 } counter drop"),
                        List.of("it has no")),
                row("an IPv6 resolver", rules(V4, true, List.of(), List.of("2001:db8::53")),
                        List.of(C + "ip6 daddr { 2001:db8:0:0:0:0:0:53 } meta l4proto { tcp, udp } th dport 53 accept"),
                        List.of("ip daddr { ")),
                row("refusals counted per destination, protocol and port, or without a port", rules(V4, false, List.of(), DNS),
                        List.of(C + "meta l4proto { tcp, udp, dccp, sctp, udplite } add @r4_app { ip daddr . meta l4proto . th dport }",
                                C + "meta nfproto ipv4 meta l4proto != { tcp, udp, dccp, sctp, udplite } add @p4_app { ip daddr . meta l4proto }",
                                C + "meta l4proto { tcp, udp, dccp, sctp, udplite } add @r6_app { ip6 daddr . meta l4proto . th dport }",
                                "add set inet berth_t r4_app { type ipv4_addr . inet_proto . inet_service; size 1024; flags dynamic; counter; }",
                                "add set inet berth_t p6_app { type ipv6_addr . inet_proto; size 1024; flags dynamic; counter; }"), List.of()),
                row("the host is never reached through public egress or allowed ranges",
                        rules(V4, true, List.of(to("10.0.0.0/8", 0)), DNS),
                        List.of(I + "icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept"),
                        List.of(I + "ip daddr != @nonpublic4", I + "ip daddr 10.0.0.0/8")),
                row("the interface jumps to both chains", rules(V4, false, List.of(), DNS),
                        List.of("add element inet berth_t container_forward { \"veth1a2b3c4d\" : jump c_app }",
                                "add element inet berth_t container_input { \"veth1a2b3c4d\" : jump i_app }"), List.of("delete")),
                row("its chains are flushed and refilled in the same transaction", rules(V4, false, List.of(), DNS),
                        List.of("add chain inet berth_t c_app\nflush chain inet berth_t c_app\nadd chain inet berth_t i_app\nflush chain inet berth_t i_app\n"),
                        List.of()));
    }

    private static Arguments row(String name, ContainerRules rules, List<String> present, List<String> absent) {
        return Arguments.of(name, rules, present, absent);
    }

    private static byte[] mapped(int a, int b, int c, int d) {
        byte[] out = new byte[16];
        out[10] = (byte) 0xff;
        out[11] = (byte) 0xff;
        out[12] = (byte) a;
        out[13] = (byte) b;
        out[14] = (byte) c;
        out[15] = (byte) d;
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void rendersOneContainer(String name, ContainerRules rules, List<String> present, List<String> absent) {
        String script = RULES.apply(rules, TableListing.EMPTY);

        for (String s : present) assertThat(script).contains(s);
        for (String s : absent) assertThat(script).doesNotContain(s);
        // Every chain ends in a counted drop: nothing falls through to the base chain's accept.
        assertThat(script.lines().filter(l -> l.startsWith(C)).reduce((a, b) -> b)).hasValue(C + "counter drop comment \"refused\"");
        assertThat(script.lines().filter(l -> l.startsWith(I)).reduce((a, b) -> b)).hasValue(I + "counter drop comment \"refused: the host\"");
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of(new ContainerRules("-app", "veth0", List.of(), true, List.of(), List.of()), "container name '-app'"),
                Arguments.of(new ContainerRules("a b", "veth0", List.of(), true, List.of(), List.of()), "container name 'a b'"),
                Arguments.of(new ContainerRules("a\"; flush ruleset", "veth0", List.of(), true, List.of(), List.of()), "is not a runc id"),
                Arguments.of(new ContainerRules("x".repeat(129), "veth0", List.of(), true, List.of(), List.of()), "is not a runc id"),
                Arguments.of(new ContainerRules("app", "veth\"0", List.of(), true, List.of(), List.of()), "host interface 'veth\"0'"),
                Arguments.of(new ContainerRules("app", "a-name-too-long-1", List.of(), true, List.of(), List.of()), "host interface"),
                Arguments.of(new ContainerRules("app", "..", List.of(), true, List.of(), List.of()), "host interface"),
                Arguments.of(new ContainerRules("app", "veth0", List.of(), false, List.of(to("10.0.0.0/8", 65536)), List.of()), "port 65536"));
    }

    @ParameterizedTest
    @MethodSource("badInput")
    void refusesBadInputNamingIt(ContainerRules rules, String message) {
        assertThatThrownBy(() -> RULES.apply(rules, TableListing.EMPTY)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void tableNamesAreCheckedToo() {
        for (String bad : List.of("", "1berth", "berth-x", "berth x", "inet berth")) {
            assertThatThrownBy(() -> new FirewallRules(bad)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("table name");
        }
    }

    @Test
    void aSampleContainerGetsExactlyThis() {
        String script = RULES.apply(rules(V4, false, List.of(to("10.1.0.0/16", 5432)), DNS), TableListing.EMPTY);

        assertThat(script).isEqualTo("""
                add chain inet berth_t c_app
                flush chain inet berth_t c_app
                add chain inet berth_t i_app
                flush chain inet berth_t i_app
                add set inet berth_t r4_app { type ipv4_addr . inet_proto . inet_service; size 1024; flags dynamic; counter; }
                add set inet berth_t p4_app { type ipv4_addr . inet_proto; size 1024; flags dynamic; counter; }
                add set inet berth_t r6_app { type ipv6_addr . inet_proto . inet_service; size 1024; flags dynamic; counter; }
                add set inet berth_t p6_app { type ipv6_addr . inet_proto; size 1024; flags dynamic; counter; }
                add element inet berth_t container_forward { "veth1a2b3c4d" : jump c_app }
                add element inet berth_t container_input { "veth1a2b3c4d" : jump i_app }
                add rule inet berth_t c_app ip saddr != { 198.51.100.2 } counter drop comment "not from its address"
                add rule inet berth_t c_app meta nfproto ipv6 counter drop comment "it has no IPv6 address"
                add rule inet berth_t c_app ip daddr { 198.51.100.1 } meta l4proto { tcp, udp } th dport 53 accept comment "DNS to its resolvers"
                add rule inet berth_t c_app meta nfproto ipv4 meta l4proto { tcp, udp } th dport 53 add @r4_app { ip daddr . meta l4proto . th dport } counter drop comment "refused: DNS only to its resolvers"
                add rule inet berth_t c_app meta nfproto ipv6 meta l4proto { tcp, udp } th dport 53 add @r6_app { ip6 daddr . meta l4proto . th dport } counter drop comment "refused: DNS only to its resolvers"
                add rule inet berth_t c_app ip daddr 10.1.0.0/16 meta l4proto { tcp, udp } th dport 5432 accept comment "allowed: 10.1.0.0/16 port 5432"
                add rule inet berth_t c_app meta l4proto { tcp, udp, dccp, sctp, udplite } add @r4_app { ip daddr . meta l4proto . th dport }
                add rule inet berth_t c_app meta nfproto ipv4 meta l4proto != { tcp, udp, dccp, sctp, udplite } add @p4_app { ip daddr . meta l4proto }
                add rule inet berth_t c_app meta l4proto { tcp, udp, dccp, sctp, udplite } add @r6_app { ip6 daddr . meta l4proto . th dport }
                add rule inet berth_t c_app meta nfproto ipv6 meta l4proto != { tcp, udp, dccp, sctp, udplite } add @p6_app { ip6 daddr . meta l4proto }
                add rule inet berth_t c_app counter drop comment "refused"
                add rule inet berth_t i_app icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept comment "IPv6 neighbour discovery"
                add rule inet berth_t i_app ip saddr != { 198.51.100.2 } counter drop comment "not from its address"
                add rule inet berth_t i_app meta nfproto ipv6 counter drop comment "it has no IPv6 address"
                add rule inet berth_t i_app ip daddr { 198.51.100.1 } meta l4proto { tcp, udp } th dport 53 accept comment "DNS to its resolvers"
                add rule inet berth_t i_app meta l4proto { tcp, udp, dccp, sctp, udplite } add @r4_app { ip daddr . meta l4proto . th dport }
                add rule inet berth_t i_app meta nfproto ipv4 meta l4proto != { tcp, udp, dccp, sctp, udplite } add @p4_app { ip daddr . meta l4proto }
                add rule inet berth_t i_app meta l4proto { tcp, udp, dccp, sctp, udplite } add @r6_app { ip6 daddr . meta l4proto . th dport }
                add rule inet berth_t i_app meta nfproto ipv6 meta l4proto != { tcp, udp, dccp, sctp, udplite } add @p6_app { ip6 daddr . meta l4proto }
                add rule inet berth_t i_app counter drop comment "refused: the host"
                """);
    }

    @Test
    void replacingDropsTheOldInterfaceAndTakesTheNewOneFromWhoeverHadIt() {
        var now = new TableListing(Set.of("c_app", "i_app", "c_gone", "i_gone"), Set.of(), Map.of(
                "container_forward", Map.of("veth00000001", "c_app", "veth1a2b3c4d", "c_gone"),
                "container_input", Map.of("veth00000001", "i_app", "veth1a2b3c4d", "i_gone")), List.of());

        String script = RULES.apply(rules(V4, true, List.of(), DNS), now);

        assertThat(script).contains("delete element inet berth_t container_forward { \"veth00000001\" }",
                "delete element inet berth_t container_forward { \"veth1a2b3c4d\" }",
                "delete element inet berth_t container_input { \"veth00000001\" }",
                "delete element inet berth_t container_input { \"veth1a2b3c4d\" }");
        assertThat(script.indexOf("delete element")).isLessThan(script.indexOf("add element"));
    }

    @Test
    void removeDeletesOnlyWhatExists() {
        var now = new TableListing(Set.of("c_app", "forward"), Set.of("r4_app", "p6_app"),
                Map.of("container_forward", Map.of("veth1a2b3c4d", "c_app")), List.of());

        assertThat(RULES.remove("app", now)).isEqualTo("""
                delete element inet berth_t container_forward { "veth1a2b3c4d" }
                delete chain inet berth_t c_app
                delete set inet berth_t r4_app
                delete set inet berth_t p6_app
                """);
        assertThat(RULES.remove("other", now)).isEmpty();
    }

    @Test
    void baseRebuildsExistingBaseChainsAndMergesNestedRanges() {
        var now = new TableListing(Set.of("forward", "c_app"), Set.of(), Map.of(), List.of());

        String script = RULES.base(List.of(Cidr.parse("198.51.100.0/24"), Cidr.parse("198.51.100.128/25")),
                Addresses.nonPublicRanges(), now);

        assertThat(script).startsWith("add table inet berth_t\n")
                .contains("delete chain inet berth_t forward\nadd chain inet berth_t forward { type filter hook forward priority filter; policy accept; }",
                        "add element inet berth_t subnets4 { 198.51.100.0/24 }\n",
                        "add rule inet berth_t forward iifname vmap @container_forward",
                        "add rule inet berth_t postrouting ip saddr @subnets4 ip daddr != @subnets4 masquerade",
                        "0:0:0:0:0:ffff:a00:0/104", "2002:a00:0:0:0:0:0:0/24")
                .doesNotContain("delete chain inet berth_t input", "delete chain inet berth_t c_app", "255.255.255.255/32", "add element inet berth_t subnets6");
        // The forward chain refuses connections into containers before dispatching by interface.
        assertThat(script.indexOf("ct state != { established, related } counter drop")).isLessThan(script.indexOf("iifname vmap"));
    }

    @Test
    void everyNonPublicRangeIsNonPublicToTheRegistryToo() throws Exception {
        for (Cidr r : Addresses.nonPublicRanges()) {
            byte[] first = r.network();
            byte[] last = Arrays.copyOf(first, first.length);
            for (int i = r.prefix(); i < last.length * 8; i++) last[i / 8] |= (byte) (0x80 >>> (i % 8));
            assertThat(Addresses.classify(InetAddress.getByAddress(first))).as(r.toString()).isNotEqualTo(AddressClass.PUBLIC);
            assertThat(Addresses.classify(InetAddress.getByAddress(last))).as(r.toString()).isNotEqualTo(AddressClass.PUBLIC);
        }
        assertThat(FirewallRules.outermost(List.of(Cidr.parse("240.0.0.0/4"), Cidr.parse("255.255.255.255/32"), Cidr.parse("fe80::/10"))))
                .containsExactly(Cidr.parse("240.0.0.0/4"), Cidr.parse("fe80::/10"));
    }

    @Test
    void readsTheRulesOutOfAChainListing() {
        String listing = """
                table inet berth_t {
                \tchain c_app {
                \t\tip saddr != 198.51.100.2 counter packets 3 bytes 180 drop comment "not from its address"
                \t\tcounter packets 0 bytes 0 drop comment "refused"
                \t}
                }
                """;

        assertThat(FirewallRules.chainRules(listing)).containsExactly(
                "ip saddr != 198.51.100.2 counter packets 3 bytes 180 drop comment \"not from its address\"",
                "counter packets 0 bytes 0 drop comment \"refused\"");
    }
}
