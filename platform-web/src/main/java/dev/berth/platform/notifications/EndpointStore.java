package dev.berth.platform.notifications;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code notification_endpoints} table. */
@Repository
class EndpointStore {
    private static final String COLUMNS = "e.id, t.name AS team, e.name, e.url, e.format, e.events, e.enabled, e.paused_at,"
            + " e.paused_reason, e.consecutive_failures, e.created_by, e.created_at";
    private static final String FROM = " FROM notification_endpoints e JOIN teams t ON t.id = e.team_id";

    private final JdbcClient jdbc;

    EndpointStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts an endpoint without its secret (sealed to its id, which this returns). */
    long insert(long teamId, String name, String url, NotificationFormat format, List<NotificationEvent> events, String by,
                Instant at) {
        return jdbc.sql("""
                INSERT INTO notification_endpoints (team_id, name, url, format, events, sealed_secret, created_by, created_at)
                VALUES (?, ?, ?, ?, ?::text[], '\\x'::bytea, ?, ?) ON CONFLICT (team_id, name) DO NOTHING RETURNING id""")
                .params(teamId, name, url, format.name(), textArray(events), by, Timestamp.from(at))
                .query(Long.class).optional().orElse(-1L);
    }

    void setSecret(long id, byte[] sealed) {
        jdbc.sql("UPDATE notification_endpoints SET sealed_secret = ? WHERE id = ?").params(sealed, id).update();
    }

    byte[] sealedSecret(long id) {
        return jdbc.sql("SELECT sealed_secret FROM notification_endpoints WHERE id = ?").param(id).query(byte[].class).single();
    }

    List<NotificationEndpoint> list(long teamId) {
        return jdbc.sql("SELECT " + COLUMNS + FROM + " WHERE e.team_id = ? ORDER BY e.name").param(teamId)
                .query((rs, n) -> read(rs)).list();
    }

    /** The paused endpoints of the teams named, by team and name. */
    List<NotificationEndpoint> paused(java.util.Collection<String> teams) {
        if (teams.isEmpty()) return List.of();
        return jdbc.sql("SELECT " + COLUMNS + FROM + " WHERE t.name = ANY (?) AND e.paused_at IS NOT NULL ORDER BY t.name, e.name")
                .param(teams.toArray(String[]::new)).query((rs, n) -> read(rs)).list();
    }

    Optional<NotificationEndpoint> find(long teamId, long id) {
        return jdbc.sql("SELECT " + COLUMNS + FROM + " WHERE e.team_id = ? AND e.id = ?").params(teamId, id)
                .query((rs, n) -> read(rs)).optional();
    }

    Optional<NotificationEndpoint> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + FROM + " WHERE e.id = ?").param(id).query((rs, n) -> read(rs)).optional();
    }

    boolean update(long id, String name, String url, NotificationFormat format, List<NotificationEvent> events, boolean enabled) {
        return jdbc.sql("UPDATE notification_endpoints SET name = ?, url = ?, format = ?, events = ?::text[], enabled = ?"
                        + " WHERE id = ?")
                .params(name, url, format.name(), textArray(events), enabled, id).update() == 1;
    }

    boolean nameTaken(long teamId, String name, long except) {
        return jdbc.sql("SELECT count(*) FROM notification_endpoints WHERE team_id = ? AND name = ? AND id <> ?")
                .params(teamId, name, except).query(Long.class).single() > 0;
    }

    boolean delete(long id) {
        return jdbc.sql("DELETE FROM notification_endpoints WHERE id = ?").param(id).update() == 1;
    }

    /** Clears the pause and the failure count. */
    boolean resume(long id) {
        return jdbc.sql("UPDATE notification_endpoints SET paused_at = NULL, paused_reason = NULL, consecutive_failures = 0,"
                + " first_failure_at = NULL WHERE id = ? AND paused_at IS NOT NULL").param(id).update() == 1;
    }

    void succeeded(long id) {
        jdbc.sql("UPDATE notification_endpoints SET consecutive_failures = 0, first_failure_at = NULL WHERE id = ?")
                .param(id).update();
    }

    /** Counts a failure; returns the failures in a row and when the first of them was. */
    Failing failed(long id, Instant at) {
        return jdbc.sql("""
                UPDATE notification_endpoints SET consecutive_failures = consecutive_failures + 1,
                    first_failure_at = coalesce(first_failure_at, ?) WHERE id = ?
                RETURNING consecutive_failures, first_failure_at""").params(Timestamp.from(at), id)
                .query((rs, n) -> new Failing(rs.getInt(1), rs.getTimestamp(2).toInstant())).single();
    }

    record Failing(int inARow, Instant since) {
    }

    /** Pauses the endpoint unless it is paused already; whether this call paused it. */
    boolean pause(long id, String reason, Instant at) {
        return jdbc.sql("UPDATE notification_endpoints SET paused_at = ?, paused_reason = ? WHERE id = ? AND paused_at IS NULL")
                .params(Timestamp.from(at), reason, id).update() == 1;
    }

    private static String textArray(List<NotificationEvent> events) {
        // Wire names hold only [a-z.-]: no quoting needed inside the array literal.
        return "{" + String.join(",", events.stream().map(NotificationEvent::value).toList()) + "}";
    }

    private static NotificationEndpoint read(ResultSet rs) throws SQLException {
        Array a = rs.getArray("events");
        var events = Arrays.stream((String[]) a.getArray()).map(v -> NotificationEvent.parse(v, "events")).toList();
        Timestamp paused = rs.getTimestamp("paused_at");
        return new NotificationEndpoint(rs.getLong("id"), rs.getString("team"), rs.getString("name"), rs.getString("url"),
                NotificationFormat.valueOf(rs.getString("format")), events, rs.getBoolean("enabled"),
                paused == null ? null : paused.toInstant(), rs.getString("paused_reason"), rs.getInt("consecutive_failures"),
                rs.getString("created_by"), rs.getTimestamp("created_at").toInstant());
    }
}
