package dev.berth.platform.repositories;

import dev.berth.gitsync.definition.AppDefinition;
import dev.berth.gitsync.definition.Definition;
import dev.berth.gitsync.definition.Network;
import dev.berth.gitsync.definition.Port;
import dev.berth.gitsync.definition.Problem;
import dev.berth.platform.egress.EgressRanges;
import dev.berth.registry.network.Cidr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The checks on berth.yaml's network entries that need the platform's knowledge: an
 * {@code egressTo} range that is not entirely public must lie inside one of the team's allowed
 * ranges (which allow every port), and a {@code connects} entry must name an app of the team, as
 * it will be after this push, and a port that app declares. Only the team's own apps are ever
 * looked at, so an app of another team reads exactly like a missing one. Pure.
 */
final class NetworkReview {
    private NetworkReview() {
    }

    /**
     * What the review knows of the team beyond the file.
     *
     * @param team      the team's name, for messages
     * @param allowed   the team's allowed private ranges
     * @param elsewhere the team's apps defined by its other repositories, with their declared ports
     */
    record Team(String team, List<Cidr> allowed, Map<String, List<Port>> elsewhere) {
    }

    /** The apps that {@code definition} connects to but does not define: those to look up. */
    static List<String> connectedElsewhere(Definition definition) {
        var here = definition.apps().stream().map(AppDefinition::name).collect(Collectors.toSet());
        return definition.apps().stream().flatMap(a -> a.network().connects().stream()).map(Network.Connect::app)
                .filter(app -> !here.contains(app)).distinct().toList();
    }

    /** Whether any app declares an entry these checks look at. */
    static boolean declaresNetwork(Definition definition) {
        return definition.apps().stream().anyMatch(a -> !a.network().egressTo().isEmpty() || !a.network().connects().isEmpty());
    }

    /** One message per wrong entry, {@code file:line:column: sentence}, in file order. */
    static List<String> problems(String file, Definition definition, Team team) {
        var ports = new HashMap<>(team.elsewhere());
        for (AppDefinition app : definition.apps()) ports.put(app.name(), app.ports());
        var out = new ArrayList<String>();
        for (AppDefinition app : definition.apps()) {
            for (Network.EgressDestination to : app.network().egressTo()) {
                String wrong = egress(to, team);
                if (wrong != null) out.add(new Problem(file, to.line(), to.column(), "app '" + app.name() + "': " + wrong).toString());
            }
            for (Network.Connect connect : app.network().connects()) {
                String wrong = connect(connect, ports, team.team());
                if (wrong != null) {
                    out.add(new Problem(file, connect.line(), connect.column(), "app '" + app.name() + "': " + wrong).toString());
                }
            }
        }
        return out;
    }

    private static String egress(Network.EgressDestination to, Team team) {
        Cidr range;
        try {
            range = Cidr.parse(to.cidr());
        } catch (IllegalArgumentException e) {
            return "egressTo " + to.cidr() + " is not a range: " + e.getMessage();
        }
        if (EgressRanges.entirelyPublic(range) || EgressRanges.covered(team.allowed(), range)) return null;
        // As berth.yaml writes it: an IPv6 range with a port goes in brackets.
        String destination = to.port() == 0 ? to.cidr() : to.cidr().contains(":") ? "[" + to.cidr() + "]:" + to.port()
                : to.cidr() + ":" + to.port();
        return "egressTo " + destination + " is not allowed for team " + team.team() + ": it is not a public range and"
                + " none of the team's allowed ranges holds it; a platform admin can allow it under Teams → "
                + team.team() + " → Network";
    }

    private static String connect(Network.Connect connect, Map<String, List<Port>> ports, String team) {
        var declared = ports.get(connect.app());
        if (declared == null) {
            return "connects to app '" + connect.app() + "', but team " + team + " has no app '" + connect.app()
                    + "' (connects reaches only apps of the same team)";
        }
        if (declared.stream().anyMatch(p -> p.name().equals(connect.port()))) return null;
        return "app '" + connect.app() + "' has no port named '" + connect.port() + "'; "
                + (declared.isEmpty() ? "it declares no ports"
                : "it declares " + declared.stream().map(p -> "'" + p.name() + "'").collect(Collectors.joining(", ")));
    }
}
