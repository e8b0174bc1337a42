package dev.berth.platform.repositories;

import java.util.Collection;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The host and path each app's routes claim, one app per host and path. */
@Repository
class RouteClaimStore {
    /** A claim as written: the repository's team and names come from the repository row. */
    record NewClaim(String host, String path, String app, String port) {
    }

    private static final String SELECT = """
            SELECT c.host, c.path, t.name, r.name, c.app, c.port FROM route_claims c
            JOIN teams t ON t.id = c.team_id JOIN repositories r ON r.id = c.repository_id""";

    private final JdbcClient jdbc;

    RouteClaimStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<RouteClaim> all() {
        return jdbc.sql(SELECT + " ORDER BY c.host, c.path").query(RouteClaimStore::claim).list();
    }

    List<RouteClaim> ofTeam(String team) {
        return jdbc.sql(SELECT + " WHERE t.name = ? ORDER BY c.host, c.path").param(team).query(RouteClaimStore::claim).list();
    }

    /** Claims of other repositories than {@code repositoryId} on any of {@code hostPaths} ({@code host + path}). */
    List<RouteClaim> heldElsewhere(long repositoryId, Collection<String> hostPaths) {
        if (hostPaths.isEmpty()) return List.of();
        return jdbc.sql(SELECT + " WHERE c.repository_id <> ? AND c.host || c.path = ANY (?) ORDER BY c.host, c.path")
                .params(repositoryId, hostPaths.toArray(String[]::new)).query(RouteClaimStore::claim).list();
    }

    /** Replaces the repository's claims; the caller holds {@link #lockAll()} and found no claim elsewhere. */
    void replace(long teamId, long repositoryId, List<NewClaim> claims) {
        jdbc.sql("DELETE FROM route_claims WHERE repository_id = ?").param(repositoryId).update();
        for (var c : claims) {
            jdbc.sql("INSERT INTO route_claims (host, path, team_id, repository_id, app, port) VALUES (?, ?, ?, ?, ?, ?)")
                    .params(c.host(), c.path(), teamId, repositoryId, c.app(), c.port()).update();
        }
    }

    /**
     * Makes replacements happen one after the other, so that what one finds free is still free when
     * it writes; the primary key stays the last word.
     */
    void lockAll() {
        jdbc.sql("LOCK TABLE route_claims IN SHARE ROW EXCLUSIVE MODE").update();
    }

    private static RouteClaim claim(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new RouteClaim(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6));
    }
}
