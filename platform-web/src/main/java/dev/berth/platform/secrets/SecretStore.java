package dev.berth.platform.secrets;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Sealed app secrets in PostgreSQL. */
@Component
class SecretStore {
    private final JdbcClient jdbc;

    SecretStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A secret as listed: never its value. */
    public record Entry(String name, Instant updatedAt, String updatedBy) {
    }

    /** Sets a secret; true when it is new. */
    public boolean put(long teamId, String app, String name, byte[] sealed, Instant at, String by) {
        return jdbc.sql("""
                INSERT INTO app_secrets (team_id, app, name, sealed, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (team_id, app, name) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at,
                                                               updated_by = excluded.updated_by
                RETURNING (xmax = 0)""")
                .params(teamId, app, name, sealed, Timestamp.from(at), by).query(Boolean.class).single();
    }

    public boolean delete(long teamId, String app, String name) {
        return jdbc.sql("DELETE FROM app_secrets WHERE team_id = ? AND app = ? AND name = ?").params(teamId, app, name)
                .update() == 1;
    }

    public List<Entry> list(long teamId, String app) {
        return jdbc.sql("SELECT name, updated_at, updated_by FROM app_secrets WHERE team_id = ? AND app = ? ORDER BY name")
                .params(teamId, app)
                .query((rs, n) -> new Entry(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3))).list();
    }

    /** The names of the app's secrets that are set. */
    public Set<String> names(long teamId, String app) {
        return new TreeSet<>(jdbc.sql("SELECT name FROM app_secrets WHERE team_id = ? AND app = ?").params(teamId, app)
                .query(String.class).list());
    }

    /** The sealed values of the app's secrets, by name. */
    public Map<String, byte[]> sealed(long teamId, String app) {
        return jdbc.sql("SELECT name, sealed FROM app_secrets WHERE team_id = ? AND app = ?").params(teamId, app)
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getBytes(2))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
