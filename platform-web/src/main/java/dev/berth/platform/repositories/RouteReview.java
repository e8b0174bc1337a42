package dev.berth.platform.repositories;

import dev.berth.gitsync.definition.AppDefinition;
import dev.berth.gitsync.definition.Definition;
import dev.berth.gitsync.definition.Problem;
import dev.berth.gitsync.definition.Route;
import dev.berth.platform.domains.AppsDomain;
import dev.berth.platform.domains.DomainPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The checks on berth.yaml's {@code routes} that need the platform's knowledge: every host must be
 * the team's (one of its domains, exact or wildcard, or under the apps domain the app's own
 * {@code APP.TEAM.<apps domain>}), and no app of another repository may serve the same host and
 * path already. A host the team does not hold is reported for that alone, so another team's claims
 * are named only where the team holds the host now (after an admin moved a domain). Pure.
 */
final class RouteReview {
    private RouteReview() {
    }

    /**
     * What the review knows of the team beyond the file.
     *
     * @param team    the team's name, for messages
     * @param domains the team's host name patterns
     * @param apps    the platform's apps domain
     */
    record Team(String team, List<DomainPattern> domains, AppsDomain apps) {
    }

    /** Every route of the file as claims of the repository, in file order. */
    static List<RouteClaimStore.NewClaim> claims(Definition definition) {
        return definition.apps().stream().flatMap(a -> a.routes().stream()
                .map(r -> new RouteClaimStore.NewClaim(r.host(), r.path(), a.name(), r.port()))).toList();
    }

    /** The claims as an audit event's detail ({@code shop.example.com/api → api:http, ...}); null when there are none. */
    static String audited(Definition definition) {
        var claims = claims(definition);
        return claims.isEmpty() ? null : claims.stream().map(c -> c.host() + c.path() + " → " + c.app() + ":" + c.port())
                .collect(Collectors.joining(", "));
    }

    /** {@code host + path} of every route of the file. */
    static List<String> hostPaths(Definition definition) {
        return claims(definition).stream().map(c -> c.host() + c.path()).toList();
    }

    /**
     * One message per wrong route, {@code file:line:column: sentence}, in file order.
     *
     * @param elsewhere claims of other repositories on this file's hosts and paths, by {@code host + path}
     */
    static List<String> problems(String file, Definition definition, Team team, Map<String, RouteClaim> elsewhere) {
        var out = new ArrayList<String>();
        for (AppDefinition app : definition.apps()) {
            for (int i = 0; i < app.routes().size(); i++) {
                Route route = app.routes().get(i);
                String wrong = owner(app.name(), "routes[" + i + "]", route, team);
                if (wrong == null && elsewhere.get(route.host() + route.path()) instanceof RouteClaim taken) {
                    wrong = "routes[" + i + "] " + taken.hostAndPath() + " is already served by app " + taken.app()
                            + " of team " + taken.team() + " (repository " + taken.repository() + "); one host and path go"
                            + " to one app: remove the route there first, or pick another path";
                }
                if (wrong != null) out.add(new Problem(file, route.line(), route.column(), "app '" + app.name() + "': " + wrong).toString());
            }
        }
        return out;
    }

    private static String owner(String app, String where, Route route, Team team) {
        String host = route.host();
        if (team.apps().covers(host)) {
            String problem = team.apps().problemFor(team.team(), app, host);
            return problem == null ? null : where + ".host " + host + " " + problem;
        }
        if (team.domains().stream().anyMatch(p -> p.matches(host))) return null;
        var held = Stream.concat(team.domains().stream().map(DomainPattern::text),
                team.apps().domain().map(d -> "*." + team.team() + "." + d).stream()).collect(Collectors.joining(", "));
        return where + ".host " + host + " is not among team " + team.team() + "'s domains ("
                + (held.isEmpty() ? "it holds none" : held) + "); a platform admin adds domains on the Domains page";
    }
}
