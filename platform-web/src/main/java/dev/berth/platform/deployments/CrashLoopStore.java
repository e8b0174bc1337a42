package dev.berth.platform.deployments;

import java.sql.Array;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code replica_crash_loops} table: {@link CrashLoop} per replica that restarted. */
@Repository
class CrashLoopStore {
    private final JdbcClient jdbc;

    CrashLoopStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The loops of the replicas named that have one, by replica id. */
    Map<String, CrashLoop> of(List<String> replicaIds) {
        var out = new HashMap<String, CrashLoop>();
        if (replicaIds.isEmpty()) return out;
        jdbc.sql("SELECT replica_id, restarts, recent, told_at, last_exit FROM replica_crash_loops WHERE replica_id = ANY (?)")
                .param(replicaIds.toArray(String[]::new)).query((rs, n) -> {
                    Array a = rs.getArray("recent");
                    var recent = Arrays.stream((Object[]) a.getArray()).map(t -> ((Timestamp) t).toInstant()).toList();
                    Timestamp told = rs.getTimestamp("told_at");
                    return out.put(rs.getString("replica_id"), new CrashLoop(rs.getInt("restarts"), recent,
                            told == null ? null : told.toInstant(), rs.getString("last_exit")));
                }).list();
        return out;
    }

    /** Keeps the counts and times; the episode's mark is {@link #tell}'s and {@link #ended}'s alone. */
    void save(String replicaId, CrashLoop loop) {
        jdbc.sql("""
                INSERT INTO replica_crash_loops (replica_id, restarts, recent, last_exit) VALUES (?, ?, ?::timestamptz[], ?)
                ON CONFLICT (replica_id) DO UPDATE SET restarts = EXCLUDED.restarts, recent = EXCLUDED.recent,
                    last_exit = EXCLUDED.last_exit""")
                .params(replicaId, loop.restarts(), array(loop.recent()), loop.lastExit()).update();
    }

    /** Marks the episode told unless it was: whether this call did, so it is told once. */
    boolean tell(String replicaId, Instant at) {
        return jdbc.sql("UPDATE replica_crash_loops SET told_at = ? WHERE replica_id = ? AND told_at IS NULL")
                .params(Timestamp.from(at), replicaId).update() == 1;
    }

    /** Ends the episode: the next loop is told again. */
    void ended(String replicaId) {
        jdbc.sql("UPDATE replica_crash_loops SET told_at = NULL WHERE replica_id = ?").param(replicaId).update();
    }

    private static String array(List<Instant> times) {
        // ISO instants hold no quote, comma or brace: no quoting needed inside the array literal.
        return "{" + String.join(",", times.stream().map(Instant::toString).toList()) + "}";
    }
}
