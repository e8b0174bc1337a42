package dev.berth.platform.repositories;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/**
 * Which app serves each host and path of berth.yaml routes, for the edge to route by. A claim is
 * written when a push or sync records a revision (and reserved before a push's refs move), in one
 * transaction with the check that no other repository holds it: a repository's claims are always
 * those of its newest recorded revision, and apps dropped from its berth.yaml release theirs.
 * Default hosts under the apps domain are not claims: each app has its own
 * ({@link dev.berth.platform.domains.AppsDomain#defaultRoute}), and an explicit route of the app to
 * its own default host and the same path wins over it.
 *
 * <p>A claim says what the repository's newest revision declares, checked against the team's
 * domains when it was recorded: one whose domain an admin has since taken from the team stays
 * until the repository's next revision, so the edge checks ownership again
 * ({@link dev.berth.platform.domains.TeamDomainLookup}). A push reserves its claims before its refs
 * move, in one transaction with its {@link PushIntent}; should the ref then not move (refused,
 * failed, the platform killed), {@link PushRecovery} puts back the claims of the repository's
 * newest revision.
 *
 * <p>Reads here carry no access checks: they are for the platform's own parts (the edge builder),
 * not for callers.
 */
@Service
public class RouteClaims {
    private final RouteClaimStore store;

    RouteClaims(RouteClaimStore store) {
        this.store = store;
    }

    /** Every claim of every team, ordered by host, then path. */
    public List<RouteClaim> all() {
        return store.all();
    }

    /** The claims of one team's apps, ordered by host, then path; empty for an unknown team. */
    public List<RouteClaim> ofTeam(String team) {
        return store.ofTeam(team);
    }

    /** Claims other repositories hold on any of {@code hostPaths}, by {@code host + path}. */
    Map<String, RouteClaim> heldElsewhere(long repositoryId, List<String> hostPaths) {
        return store.heldElsewhere(repositoryId, hostPaths).stream()
                .collect(Collectors.toMap(RouteClaim::hostAndPath, Function.identity()));
    }

    /**
     * Inside the caller's transaction: takes the table's lock, then either replaces the
     * repository's claims with {@code claims} and returns an empty map, or writes nothing and
     * returns the claims other repositories hold on them.
     */
    Map<String, RouteClaim> replace(long teamId, long repositoryId, List<RouteClaimStore.NewClaim> claims) {
        if (claims.isEmpty()) {
            // Releasing takes nothing from anyone: no need to wait for the lock.
            store.replace(teamId, repositoryId, claims);
            return Map.of();
        }
        store.lockAll();
        var taken = heldElsewhere(repositoryId, claims.stream().map(c -> c.host() + c.path()).toList());
        if (taken.isEmpty()) store.replace(teamId, repositoryId, claims);
        return taken;
    }
}
