package dev.berth.platform.cluster;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The platform instances at work on this database, in {@code platform_instances}. Times are the
 * database's own {@code now()}: instances on several machines compare check-ins by one clock.
 */
@Component
class InstanceStore {
    /** A row taken out as stale. */
    record Stale(String id, String name, Timestamp lastSeen) {
    }

    private final JdbcClient jdbc;

    InstanceStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** This instance checks in (its row made or moved to now). */
    void checkIn(String id, String name) {
        jdbc.sql("""
                INSERT INTO platform_instances (id, name, started_at, last_seen) VALUES (?, ?, now(), now())
                ON CONFLICT (id) DO UPDATE SET last_seen = now()""").params(id, name).update();
    }

    /** Takes out the rows of other instances not checked in for {@code silence}; each row once, whoever asks. */
    List<Stale> takeStale(String self, Duration silence) {
        return jdbc.sql("""
                DELETE FROM platform_instances WHERE id <> ? AND last_seen < now() - make_interval(secs => ?)
                RETURNING id, name, last_seen""").params(self, silence.toMillis() / 1000.0)
                .query((rs, n) -> new Stale(rs.getString("id"), rs.getString("name"), rs.getTimestamp("last_seen"))).list();
    }

    /** This instance stops on purpose: nobody should read its silence as a failure. */
    void leave(String id) {
        jdbc.sql("DELETE FROM platform_instances WHERE id = ?").param(id).update();
    }
}
