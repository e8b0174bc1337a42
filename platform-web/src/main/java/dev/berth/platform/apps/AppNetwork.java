package dev.berth.platform.apps;

import dev.berth.gitsync.definition.Network;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What an app may reach, as its current revision declares it, beside the ranges its team may use.
 *
 * @param revision      the revision that declares it
 * @param egress        {@code none} or {@code public}
 * @param egressTo      private destinations, in file order
 * @param connects      the team's apps it reaches on its own loopback
 * @param allowedRanges the team's allowed private ranges, which {@code egressTo} must lie in
 * @param refused       what the firewalls refused its containers, the most recently seen first
 */
public record AppNetwork(String team, String app, long revision, String egress, List<Destination> egressTo,
                         List<Connection> connects, List<String> allowedRanges, List<Refused> refused) {
    public AppNetwork {
        egressTo = List.copyOf(egressTo);
        connects = List.copyOf(connects);
        allowedRanges = List.copyOf(allowedRanges);
        refused = List.copyOf(refused);
    }

    /** @param port 1-65535, or 0 for every port */
    public record Destination(String cidr, int port) {
    }

    /** @param port the target app's port name; {@code local} the port dialled on 127.0.0.1 */
    public record Connection(String app, String port, int local) {
    }

    /**
     * A destination the firewall refused the app's containers.
     *
     * @param destination an IP address
     * @param port        0 where the protocol has none
     * @param count       packets dropped, summed over the latest counts of its replicas on every host
     * @param lastSeen    when a replica's count last grew
     * @param hint        what the team can do about it; null when nothing is to be suggested
     */
    public record Refused(String destination, String protocol, int port, long count, Instant lastSeen, String hint) {
    }

    /** With the firewalls' {@code totals}, each with its hint against what is declared now. */
    static AppNetwork of(String team, String app, long revision, Network declared, List<String> allowedRanges,
                         List<RefusalStore.Total> totals) {
        var reach = new AppNetwork(team, app, revision, declared.egress().name().toLowerCase(Locale.ROOT),
                declared.egressTo().stream().map(d -> new Destination(d.cidr(), d.port())).toList(),
                declared.connects().stream().map(c -> new Connection(c.app(), c.port(), c.local())).toList(), allowedRanges,
                List.of());
        return new AppNetwork(team, app, revision, reach.egress(), reach.egressTo(), reach.connects(), allowedRanges,
                totals.stream().map(t -> new Refused(t.destination(), t.protocol(), t.port(), t.count(), t.lastSeen(),
                        RefusalHints.hint(t.destination(), t.protocol(), t.port(), reach))).toList());
    }
}
