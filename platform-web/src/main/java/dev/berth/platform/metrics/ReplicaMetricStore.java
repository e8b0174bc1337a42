package dev.berth.platform.metrics;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code replica_metrics} table: raw samples written one statement per heartbeat, rolled up
 * into coarser buckets, pruned, and read back per app.
 */
@Repository
class ReplicaMetricStore {
    /** A sample as reported, by container name. */
    record Reported(String container, long cpuNanos, long memoryBytes, Long memoryLimitBytes, long pids, long rxBytes,
                    long txBytes, int restarts) {
    }

    private final JdbcClient jdbc;

    ReplicaMetricStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores the samples of one heartbeat in one statement, in the raw slot of {@code at}. Only
     * containers that are replicas on {@code hostId} are kept; a second heartbeat in the same slot
     * replaces the first's values.
     *
     * @return how many rows were written
     */
    int record(String hostId, Instant at, List<Reported> samples) {
        if (samples.isEmpty()) return 0;
        int n = samples.size();
        var names = new String[n];
        var cpu = new Long[n];
        var memory = new Long[n];
        var limit = new Long[n];
        var pids = new Long[n];
        var rx = new Long[n];
        var tx = new Long[n];
        var restarts = new Integer[n];
        for (int i = 0; i < n; i++) {
            var s = samples.get(i);
            names[i] = s.container();
            cpu[i] = s.cpuNanos();
            memory[i] = s.memoryBytes();
            limit[i] = s.memoryLimitBytes();
            pids[i] = s.pids();
            rx[i] = s.rxBytes();
            tx[i] = s.txBytes();
            restarts[i] = s.restarts();
        }
        return jdbc.sql("""
                INSERT INTO replica_metrics (replica_id, resolution_seconds, at, team_id, app, cpu_nanos, memory_bytes,
                                             memory_limit_bytes, pids, rx_bytes, tx_bytes, restarts)
                SELECT r.id, ?, ?, r.team_id, r.app, s.cpu, s.memory, s.mlimit, s.pids, s.rx, s.tx, s.restarts
                FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::integer[])
                     AS s(container, cpu, memory, mlimit, pids, rx, tx, restarts)
                JOIN replicas r ON r.container = s.container AND r.host_id = ?
                ON CONFLICT (replica_id, resolution_seconds, at) DO UPDATE SET
                    cpu_nanos = excluded.cpu_nanos, memory_bytes = excluded.memory_bytes,
                    memory_limit_bytes = excluded.memory_limit_bytes, pids = excluded.pids, rx_bytes = excluded.rx_bytes,
                    tx_bytes = excluded.tx_bytes, restarts = excluded.restarts""")
                .params(Resolution.RAW.seconds(), Timestamp.from(Resolution.RAW.bucketOf(at)), names, cpu, memory, limit,
                        pids, rx, tx, restarts, hostId)
                .update();
    }

    /**
     * Rolls {@code source} rows up into {@code target} buckets that ended by {@code until}, from where
     * the last roll-up stopped (or the start of the source's window), and notes how far it got.
     * Runs in the caller's transaction; the progress row is locked, so two runs never overlap.
     *
     * @return the buckets written
     */
    int rollUp(Resolution source, Resolution target, Instant until, Instant now) {
        Instant end = target.bucketOf(until);
        jdbc.sql("INSERT INTO replica_metric_rollups (resolution_seconds, done_until) VALUES (?, ?) ON CONFLICT DO NOTHING")
                .params(target.seconds(), Timestamp.from(target.bucketOf(now.minus(source.retention())))).update();
        Instant done = jdbc.sql("SELECT done_until FROM replica_metric_rollups WHERE resolution_seconds = ? FOR UPDATE")
                .param(target.seconds()).query((rs, i) -> rs.getTimestamp(1).toInstant()).single();
        if (!end.isAfter(done)) return 0;
        // A bucket keeps the last value of each counter and the largest of each gauge.
        int written = jdbc.sql("""
                INSERT INTO replica_metrics (replica_id, resolution_seconds, at, team_id, app, cpu_nanos, memory_bytes,
                                             memory_limit_bytes, pids, rx_bytes, tx_bytes, restarts)
                SELECT replica_id, ?, bucket, min(team_id), min(app),
                       (array_agg(cpu_nanos ORDER BY at DESC))[1], max(memory_bytes),
                       (array_agg(memory_limit_bytes ORDER BY at DESC))[1], max(pids),
                       (array_agg(rx_bytes ORDER BY at DESC))[1], (array_agg(tx_bytes ORDER BY at DESC))[1], max(restarts)
                FROM (SELECT *, to_timestamp(floor(extract(epoch FROM at) / ?) * ?) AS bucket
                      FROM replica_metrics WHERE resolution_seconds = ? AND at >= ? AND at < ?) s
                GROUP BY replica_id, bucket
                ON CONFLICT (replica_id, resolution_seconds, at) DO UPDATE SET
                    cpu_nanos = excluded.cpu_nanos, memory_bytes = excluded.memory_bytes,
                    memory_limit_bytes = excluded.memory_limit_bytes, pids = excluded.pids, rx_bytes = excluded.rx_bytes,
                    tx_bytes = excluded.tx_bytes, restarts = excluded.restarts""")
                .params(target.seconds(), target.seconds(), target.seconds(), source.seconds(), Timestamp.from(done),
                        Timestamp.from(end))
                .update();
        jdbc.sql("UPDATE replica_metric_rollups SET done_until = ? WHERE resolution_seconds = ?")
                .params(Timestamp.from(end), target.seconds()).update();
        return written;
    }

    /** Deletes rows of {@code resolution} older than its window; returns how many. */
    int prune(Resolution resolution, Instant now) {
        var cutoff = Timestamp.from(now.minus(resolution.retention()));
        // Bounded below by the resolution's oldest row (read from the by_age index): with "at < cutoff"
        // alone PostgreSQL judged the range from the statistics of every resolution together, thought
        // it most of the table and, at 5,000 replicas, scanned all of it every minute (see
        // docs/benchmarks.md, "App metrics storage").
        var oldest = oldest(resolution);
        if (oldest.isEmpty() || !oldest.get().before(cutoff)) return 0;
        return jdbc.sql("DELETE FROM replica_metrics WHERE resolution_seconds = ? AND at >= ? AND at < ?")
                .params(resolution.seconds(), oldest.get(), cutoff).update();
    }

    /** The time of the oldest row of {@code resolution}, if it has any. */
    Optional<Timestamp> oldest(Resolution resolution) {
        return jdbc.sql("SELECT at FROM replica_metrics WHERE resolution_seconds = ? ORDER BY at LIMIT 1")
                .params(resolution.seconds()).query(Timestamp.class).optional();
    }

    /** How many samples {@link #samples} would read: to refuse a query too large before reading it. */
    long count(long teamId, String app, Resolution resolution, Instant from, Instant to) {
        return jdbc.sql("""
                SELECT count(*) FROM replica_metrics
                WHERE team_id = ? AND app = ? AND resolution_seconds = ? AND at >= ? AND at < ?""")
                .params(teamId, app, resolution.seconds(), Timestamp.from(from), Timestamp.from(to))
                .query(Long.class).single();
    }

    /** The app's samples at {@code resolution} in {@code [from, to)}, by replica, oldest first. */
    List<ReplicaSample> samples(long teamId, String app, Resolution resolution, Instant from, Instant to) {
        return jdbc.sql("""
                SELECT * FROM replica_metrics
                WHERE team_id = ? AND app = ? AND resolution_seconds = ? AND at >= ? AND at < ?
                ORDER BY replica_id, at""")
                .params(teamId, app, resolution.seconds(), Timestamp.from(from), Timestamp.from(to))
                .query(ReplicaMetricStore::sample).list();
    }

    /** The newest raw sample of each live replica since {@code since}, with its team's name and its observed state. */
    List<LiveSample> latestOfLiveReplicas(Instant since) {
        return jdbc.sql("""
                SELECT DISTINCT ON (m.replica_id) t.name AS team, r.app AS app_name, m.*
                FROM replica_metrics m
                JOIN replicas r ON r.id = m.replica_id AND r.stop_requested_at IS NULL
                JOIN teams t ON t.id = r.team_id
                WHERE m.resolution_seconds = ? AND m.at >= ?
                ORDER BY m.replica_id, m.at DESC""")
                .params(Resolution.RAW.seconds(), Timestamp.from(since))
                .query((rs, i) -> new LiveSample(rs.getString("team"), rs.getString("app_name"), sample(rs, i))).list();
    }

    /** Live replicas by team, app and observed state. */
    List<ReplicaCount> liveReplicaCounts() {
        return jdbc.sql("""
                SELECT t.name AS team, r.app, r.observed_state, count(*) AS n
                FROM replicas r JOIN teams t ON t.id = r.team_id
                WHERE r.stop_requested_at IS NULL
                GROUP BY t.name, r.app, r.observed_state""")
                .query((rs, i) -> new ReplicaCount(rs.getString("team"), rs.getString("app"), rs.getString("observed_state"),
                        rs.getLong("n"))).list();
    }

    record LiveSample(String team, String app, ReplicaSample sample) {
    }

    record ReplicaCount(String team, String app, String state, long count) {
    }

    private static ReplicaSample sample(ResultSet rs, int row) throws SQLException {
        long limit = rs.getLong("memory_limit_bytes");
        Long memoryLimit = rs.wasNull() ? null : limit;
        return new ReplicaSample(rs.getString("replica_id"), rs.getTimestamp("at").toInstant(), rs.getLong("cpu_nanos"),
                rs.getLong("memory_bytes"), memoryLimit, rs.getLong("pids"), rs.getLong("rx_bytes"),
                rs.getLong("tx_bytes"), rs.getInt("restarts"));
    }
}
