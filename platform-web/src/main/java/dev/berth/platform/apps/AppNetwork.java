package dev.berth.platform.apps;

import dev.berth.gitsync.definition.Network;
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
 */
public record AppNetwork(String team, String app, long revision, String egress, List<Destination> egressTo,
                         List<Connection> connects, List<String> allowedRanges) {
    public AppNetwork {
        egressTo = List.copyOf(egressTo);
        connects = List.copyOf(connects);
        allowedRanges = List.copyOf(allowedRanges);
    }

    /** @param port 1-65535, or 0 for every port */
    public record Destination(String cidr, int port) {
    }

    /** @param port the target app's port name; {@code local} the port dialled on 127.0.0.1 */
    public record Connection(String app, String port, int local) {
    }

    static AppNetwork of(String team, String app, long revision, Network declared, List<String> allowedRanges) {
        return new AppNetwork(team, app, revision, declared.egress().name().toLowerCase(Locale.ROOT),
                declared.egressTo().stream().map(d -> new Destination(d.cidr(), d.port())).toList(),
                declared.connects().stream().map(c -> new Connection(c.app(), c.port(), c.local())).toList(), allowedRanges);
    }
}
