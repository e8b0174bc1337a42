package dev.berth.gitsync.definition;

import java.util.List;

/**
 * What an app may reach beyond its own loopback, as its berth.yaml declares it (keys {@code egress},
 * {@code egressTo}, {@code connects}; see {@code docs/berth-yaml.md}). Entries keep the line and
 * column they were written at, so checks that need the platform's knowledge (a team's allowed
 * ranges, the team's other apps) can still point at the line.
 *
 * @param egress   {@link Egress#NONE} unless declared
 * @param egressTo destinations outside the public internet, in file order
 * @param connects the team's apps this app reaches on its own loopback, in file order
 */
public record Network(Egress egress, List<EgressDestination> egressTo, List<Connect> connects) {
    /** Nothing beyond loopback: the default. */
    public static final Network NONE = new Network(Egress.NONE, List.of(), List.of());

    public Network {
        if (egress == null) egress = Egress.NONE;
        egressTo = egressTo == null ? List.of() : List.copyOf(egressTo);
        connects = connects == null ? List.of() : List.copyOf(connects);
    }

    /** {@code none}: nothing outside the app unless listed; {@code public}: public internet addresses too. */
    public enum Egress { NONE, PUBLIC }

    /**
     * One {@code egressTo} entry.
     *
     * @param cidr the range in canonical form ({@code 10.20.0.5/32}, {@code fd00::/64})
     * @param port 1-65535, or 0 for every port
     */
    public record EgressDestination(String cidr, int port, int line, int column) {
    }

    /**
     * One {@code connects} entry: the team's app {@code app}, its port named {@code port}, reached at
     * {@code 127.0.0.1:local} inside this app's containers.
     */
    public record Connect(String app, String port, int local, int line, int column) {
    }
}
