package dev.berth.agent.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.network.Cidr;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules in the kernel: a table of this test's own ({@code berthtest_*}), changed and listed
 * through the real nft, deleted afterwards. Its container subnet is TEST-NET-2; no packet is sent.
 */
class FirewallKernelTest {
    private final TestTable t = new TestTable();
    private Firewall firewall;

    @BeforeEach
    void open() throws Exception {
        firewall = t.open(List.of(Cidr.parse("198.51.100.240/29")));
    }

    @AfterEach
    void deleteTable() throws Exception {
        t.cleanUp();
    }

    private static ContainerRules rules(String name, String iface, boolean publicEgress, List<Destination> allowed) throws Exception {
        return new ContainerRules(name, iface, List.of(InetAddress.ofLiteral("198.51.100.242")), publicEgress, allowed,
                List.of(InetAddress.ofLiteral("198.51.100.241")));
    }

    @Test
    void openCreatesTheBaseChainsAndIsIdempotent() throws Exception {
        Firewall again = Firewall.open(TestTable.NFT, t.name(), List.of(Cidr.parse("198.51.100.240/29")));

        String listed = t.list();
        assertThat(listed).contains("type filter hook forward priority filter; policy accept;",
                "type filter hook input priority filter; policy accept;",
                "type nat hook postrouting priority srcnat; policy accept;",
                "iifname vmap @container_forward", "198.51.100.240/29", "10.0.0.0/8", "fe80::/10");
        assertThat(again.containers()).isEmpty();
    }

    @Test
    void applyReplaceRemoveAndList() throws Exception {
        firewall.apply(rules("web-1.a_b", "veth1a2b3c4d", true, List.of()));
        firewall.apply(rules("7db", "veth00000007", false, List.of(new Destination(Cidr.parse("198.51.100.0/30"), 5432))));

        assertThat(firewall.containers()).containsExactlyInAnyOrder("web-1.a_b", "7db");
        String listed = t.list();
        assertThat(listed).contains("\"veth1a2b3c4d\" : jump c_web-1.a_b", "\"veth00000007\" : jump c_7db",
                "ip daddr != @nonpublic4 ip daddr != @subnets4 accept comment \"public internet\"",
                "ip daddr 198.51.100.0/30 meta l4proto { tcp, udp } th dport 5432 accept");

        // Replaced: a new interface and no public egress; the old entry goes, the rules are new.
        firewall.apply(rules("web-1.a_b", "veth99999999", false, List.of()));
        listed = t.list();
        assertThat(listed).contains("\"veth99999999\" : jump c_web-1.a_b").doesNotContain("veth1a2b3c4d");
        assertThat(t.listChain("c_web-1.a_b")).doesNotContain("public internet", "DNS");

        firewall.remove("web-1.a_b");
        firewall.remove("web-1.a_b");
        assertThat(firewall.containers()).containsExactly("7db");
        assertThat(t.list()).doesNotContain("web-1.a_b", "veth99999999");
    }

    @Test
    void anInterfaceLeftToAnotherContainerMovesToTheNewOne() throws Exception {
        firewall.apply(rules("old", "veth0000aaaa", true, List.of()));
        firewall.apply(rules("new", "veth0000aaaa", true, List.of()));

        assertThat(t.list()).contains("\"veth0000aaaa\" : jump c_new").doesNotContain(": jump c_old");
        assertThat(firewall.containers()).containsExactlyInAnyOrder("old", "new");
    }

    @Test
    void aMapChangedBehindItsBackIsReadAgainAndTheApplyStillLands() throws Exception {
        firewall.apply(rules("moved", "veth0000eeee", true, List.of()));
        TestTable.nft("delete element inet " + t.name() + " container_forward { \"veth0000eeee\" }\n");

        firewall.apply(rules("moved", "veth0000ffff", true, List.of()));

        assertThat(t.list()).contains("\"veth0000ffff\" : jump c_moved", "\"veth0000ffff\" : jump i_moved")
                .doesNotContain("veth0000eeee");
    }

    @Test
    void reopeningRepairsBaseChainsAndKeepsContainers() throws Exception {
        firewall.apply(rules("kept", "veth0000bbbb", true, List.of()));
        TestTable.nft("delete chain inet " + t.name() + " input\nadd rule inet " + t.name() + " forward accept\n");

        Firewall.open(TestTable.NFT, t.name(), List.of(Cidr.parse("198.51.100.240/29"), Cidr.parse("2001:db8:b::/64")));

        String listed = t.list();
        assertThat(listed).contains("hook input", "2001:db8:b::/64", "\"veth0000bbbb\" : jump c_kept");
        assertThat(t.listChain("forward")).doesNotContain("\t\taccept\n");
        assertThat(firewall.containers()).containsExactly("kept");
    }

    @Test
    void describeListsTheContainersRulesAsNftHasThem() throws Exception {
        firewall.apply(new ContainerRules("web-1", "veth1a2b3c4d",
                List.of(InetAddress.ofLiteral("198.51.100.242"), InetAddress.ofLiteral("2001:db8:b::2")), false,
                List.of(new Destination(Cidr.parse("198.51.100.0/30"), 5432), new Destination(Cidr.parse("2001:db8:c::/48"), 0)),
                List.of(InetAddress.ofLiteral("198.51.100.241"))));

        String text = firewall.describe("web-1");

        assertThat(text).startsWith("container web-1: packets from veth1a2b3c4d\nto other hosts (first match decides):\n")
                .contains("  ip saddr != 198.51.100.242 counter packets 0 bytes 0 drop comment \"not from its address\"",
                        "  ip daddr 198.51.100.241 meta l4proto { tcp, udp } th dport 53 accept comment \"DNS to its resolvers\"",
                        "  ip6 daddr 2001:db8:c::/48 meta l4proto { tcp, udp } accept",
                        "to this host:\n  icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept",
                        "counter packets 0 bytes 0 drop comment \"refused: the host\"")
                .doesNotContain("table inet", "public internet");
        assertThat(firewall.describe("other")).contains("no rules");
    }

    @Test
    void badInputIsRefusedBeforeNftRuns() {
        assertThatThrownBy(() -> firewall.apply(rules("-bad", "veth0", true, List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'-bad'");
        assertThatThrownBy(() -> firewall.apply(rules("ok", "veth with space", true, List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host interface");
        assertThatThrownBy(() -> Firewall.open(TestTable.NFT, "inet; flush ruleset", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("table name");
    }

    @Test
    void nftsOwnMessageComesBackWhenItRefuses() throws Exception {
        TestTable.nft("delete table inet " + t.name() + "\n");

        assertThatThrownBy(() -> firewall.apply(rules("late", "veth0000dddd", true, List.of())))
                .isInstanceOf(IOException.class).hasMessageContaining("nft refused the ruleset")
                .hasMessageContaining("No such file or directory");
    }

    @Test
    void deleteDropsTheTableAndIsIdempotent() throws Exception {
        firewall.apply(rules("gone", "veth0000cccc", true, List.of()));
        firewall.delete();
        firewall.delete();

        assertThat(TestTable.nftOutput("list tables")).doesNotContain(t.name());
        assertThat(firewall.containers()).isEmpty();
    }
}
