package dev.berth.platform.edge;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The digest of what the edges were last told to serve (one row). */
@Component
class EdgeStateStore {
    private final JdbcClient jdbc;

    EdgeStateStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores {@code fingerprint} when it differs from the stored one, holding the row until the
     * transaction ends so that two platform instances seeing one change move the edges once.
     *
     * @return whether it differed
     */
    boolean replace(String fingerprint, Instant now) {
        jdbc.sql("INSERT INTO edge_state (id, fingerprint, changed_at) VALUES (1, '', ?) ON CONFLICT (id) DO NOTHING")
                .param(Timestamp.from(now)).update();
        String before = jdbc.sql("SELECT fingerprint FROM edge_state WHERE id = 1 FOR UPDATE").query(String.class).single();
        if (before.equals(fingerprint)) return false;
        jdbc.sql("UPDATE edge_state SET fingerprint = ?, changed_at = ? WHERE id = 1").params(fingerprint, Timestamp.from(now)).update();
        return true;
    }
}
