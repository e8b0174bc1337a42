package dev.berth.agent.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the firewall reads back from {@code nft -j list table}, parsed without a kernel. */
class FirewallListingTest {
    // Trimmed from nft 1.0.6's output for a table with one container that was refused three times.
    private static final String LISTING = """
            {"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}},
             {"table": {"family": "inet", "name": "berth_t", "handle": 2}},
             {"set": {"family": "inet", "name": "nonpublic4", "table": "berth_t", "type": "ipv4_addr", "handle": 1, "flags": ["interval"],
               "elem": [{"prefix": {"addr": "10.0.0.0", "len": 8}}]}},
             {"map": {"family": "inet", "name": "container_forward", "table": "berth_t", "type": "ifname", "handle": 3, "map": "verdict",
               "elem": [["veth1a2b3c4d", {"jump": {"target": "c_web-1.a"}}], ["veth00000002", {"goto": {"target": "c_other"}}]]}},
             {"set": {"family": "inet", "name": "r4_web-1.a", "table": "berth_t", "type": ["ipv4_addr", "inet_proto", "inet_service"],
               "handle": 5, "size": 1024, "elem": [
                 {"elem": {"val": {"concat": ["203.0.113.10", "tcp", 8081]}, "counter": {"packets": 3, "bytes": 180}}},
                 {"elem": {"val": {"concat": ["203.0.113.10", 132, 9]}, "counter": {"packets": 1, "bytes": 60}}}],
               "stmt": [{"counter": null}]}},
             {"set": {"family": "inet", "name": "p6_web-1.a", "table": "berth_t", "type": ["ipv6_addr", "inet_proto"], "handle": 6,
               "size": 1024, "elem": [{"elem": {"val": {"concat": ["2001:db8::1", "ipv6-icmp"]}, "counter": {"packets": 2, "bytes": 208}}}],
               "stmt": [{"counter": null}]}},
             {"chain": {"family": "inet", "table": "berth_t", "name": "c_web-1.a", "handle": 4}},
             {"chain": {"family": "inet", "table": "berth_t", "name": "i_only-input", "handle": 7}},
             {"chain": {"family": "inet", "table": "berth_t", "name": "forward", "handle": 16, "type": "filter", "hook": "forward",
               "prio": 0, "policy": "accept"}}]}
            """;

    @Test
    void readsChainsSetsMapsAndRefusals() {
        TableListing t = TableListing.parse(LISTING);

        assertThat(t.chains()).containsExactlyInAnyOrder("c_web-1.a", "i_only-input", "forward");
        assertThat(t.containers()).containsExactlyInAnyOrder("web-1.a", "only-input");
        assertThat(t.maps()).containsEntry("container_forward", Map.of("veth1a2b3c4d", "c_web-1.a"));
        assertThat(t.interfacesJumpingTo("container_forward", "c_web-1.a")).containsExactly("veth1a2b3c4d");
        assertThat(t.refusals()).containsExactly(
                new Refusal("web-1.a", InetAddress.ofLiteral("203.0.113.10"), "tcp", 8081, 3),
                new Refusal("web-1.a", InetAddress.ofLiteral("203.0.113.10"), "132", 9, 1),
                new Refusal("web-1.a", InetAddress.ofLiteral("2001:db8::1"), "icmpv6", 0, 2));
    }

    @Test
    void theMapsAfterAnApplyAndARemoveAreWhatTheScriptsLeaveInTheKernel() {
        var before = new TableListing(Set.of(), Set.of(), Map.of(
                "container_forward", Map.of("vethold", "c_web", "vethtaken", "c_other", "vethkept", "c_kept"),
                "container_input", Map.of("vethold", "i_web", "vethtaken", "i_other")), List.of());

        var applied = before.withContainer("vethtaken", "c_web", "i_web");
        var removed = applied.withoutContainer("c_web", "i_web");

        assertThat(applied.maps()).isEqualTo(Map.of(
                "container_forward", Map.of("vethtaken", "c_web", "vethkept", "c_kept"),
                "container_input", Map.of("vethtaken", "i_web")));
        assertThat(removed.maps()).isEqualTo(Map.of("container_forward", Map.of("vethkept", "c_kept"), "container_input", Map.of()));
        assertThat(TableListing.EMPTY.withContainer("veth1", "c_a", "i_a").maps())
                .isEqualTo(Map.of("container_forward", Map.of("veth1", "c_a"), "container_input", Map.of("veth1", "i_a")));
    }

    @Test
    void refusesWhatIsNotNftsListing() {
        assertThatThrownBy(() -> TableListing.parse("Error: no")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no JSON");
        assertThatThrownBy(() -> TableListing.parse("{}")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'nftables'");
        assertThatThrownBy(() -> TableListing.parse("""
                {"nftables": [{"set": {"name": "r4_x", "elem": [{"elem": {"val": {"concat": ["example.com", "tcp", 80]}}}]}}]}
                """)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'example.com', not an address");
    }

    @Test
    void thePublishedPortsMapsAreNoInterfaceMaps() {
        var listing = TableListing.parse("""
                {"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}},
                 {"map": {"family": "inet", "name": "published_addr4", "table": "berth_t", "type": ["ipv4_addr", "inet_service"], "handle": 3,
                  "map": "verdict", "elem": [[{"concat": ["127.0.0.1", 18080]}, {"jump": {"target": "pp_127_0_0_1_18080"}}]]}},
                 {"map": {"family": "inet", "name": "published_any4", "table": "berth_t", "type": "inet_service", "handle": 4,
                  "map": "verdict", "elem": [[18081, {"jump": {"target": "pp_any_18081"}}]]}},
                 {"chain": {"family": "inet", "table": "berth_t", "name": "pp_any_18081", "handle": 5}}]}
                """);

        assertThat(listing.maps()).containsEntry("published_addr4", java.util.Map.of()).containsEntry("published_any4", java.util.Map.of());
        assertThat(listing.containers()).isEmpty();
    }
}
