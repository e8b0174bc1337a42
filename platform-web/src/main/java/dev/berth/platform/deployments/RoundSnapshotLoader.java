package dev.berth.platform.deployments;

import dev.berth.platform.hosts.HostProperties;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads a round's {@link RoundSnapshot} in a fixed number of queries, however many apps there are:
 * hosts, live replicas, newest deployments, last succeeded deployments, app revisions (only those
 * not cached) and set secret names. It reads the hosts and secret names itself: they are the
 * reconciler's read model, written only through their own features.
 *
 * <p>The queries run at READ COMMITTED inside the round's transaction, after its advisory lock. That
 * is consistent enough for the decision, and the writes make sure of the rest: replica rows are
 * inserted and stopped only by rounds, which the lock serialises; what others commit meanwhile (a
 * push's new deployment, which may also end its predecessor; a heartbeat's observed state; a
 * secret; a host joining or draining) is either seen by a later query of this round or left for the
 * round it triggers, and every write of the round is conditional (a deployment ends once, progress
 * is noted only while it is in progress, a host is marked lost once), so a view a concurrent commit
 * made stale costs one round, never a wrong write. REPEATABLE READ would instead refuse the round's
 * writes whenever a heartbeat had touched the same rows.
 */
@Component
class RoundSnapshotLoader {
    private final JdbcClient jdbc;
    private final ReplicaStore replicas;
    private final DeploymentStore deployments;
    private final AppRevisions revisions;
    private final HostProperties hostProperties;

    RoundSnapshotLoader(JdbcClient jdbc, ReplicaStore replicas, DeploymentStore deployments, AppRevisions revisions,
                        HostProperties hostProperties) {
        this.jdbc = jdbc;
        this.replicas = replicas;
        this.deployments = deployments;
        this.revisions = revisions;
        this.hostProperties = hostProperties;
    }

    RoundSnapshot load() {
        var hosts = hosts();
        var live = replicas.live();
        var newest = deployments.newestOfEveryApp();
        var lastSucceeded = deployments.lastSucceededOf(newest);
        var keys = new LinkedHashSet<AppRevisions.Key>();
        newest.stream().filter(d -> d.deployment().kind() != Deployment.Kind.REMOVE)
                .forEach(d -> keys.add(new AppRevisions.Key(d.revision(), d.app())));
        lastSucceeded.values().forEach(d -> keys.add(new AppRevisions.Key(d.revision(), d.app())));
        live.forEach(r -> keys.add(new AppRevisions.Key(r.revision(), r.app())));
        return new RoundSnapshot(hostProperties.heartbeatTimeout(), hosts, live, newest, lastSucceeded, revisions.findAll(keys),
                secretsSet(newest));
    }

    private List<RoundSnapshot.HostLine> hosts() {
        return jdbc.sql("""
                SELECT id, hostname, memory_bytes, cpu_millis, last_heartbeat_at, lost_at, draining_since IS NOT NULL AS draining
                FROM hosts WHERE removed_at IS NULL ORDER BY hostname, id""")
                .query((rs, n) -> new RoundSnapshot.HostLine(rs.getString("id"), rs.getString("hostname"),
                        rs.getLong("memory_bytes"), rs.getInt("cpu_millis"), instant(rs.getTimestamp("last_heartbeat_at")),
                        instant(rs.getTimestamp("lost_at")), rs.getBoolean("draining")))
                .list();
    }

    /** The names of the secrets set for each app of {@code newest}; only names, never values. */
    private Map<RoundSnapshot.AppKey, Set<String>> secretsSet(List<DeploymentStore.Row> newest) {
        var out = new HashMap<RoundSnapshot.AppKey, Set<String>>();
        if (newest.isEmpty()) return out;
        var teams = new ArrayList<Long>();
        var apps = new ArrayList<String>();
        for (var d : newest) {
            teams.add(d.teamId());
            apps.add(d.app());
            out.put(RoundSnapshot.AppKey.of(d), new HashSet<>());
        }
        jdbc.sql("""
                SELECT s.team_id, s.app, s.name FROM app_secrets s
                JOIN unnest(?::bigint[], ?::text[]) AS k(team_id, app) ON k.team_id = s.team_id AND k.app = s.app""")
                .params(teams.toArray(Long[]::new), apps.toArray(String[]::new))
                .query(rs -> {
                    out.get(new RoundSnapshot.AppKey(rs.getLong("team_id"), rs.getString("app"))).add(rs.getString("name"));
                });
        return out;
    }

    private static java.time.Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
