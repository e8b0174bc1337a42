package dev.berth.platform.notifications;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code notification_deliveries} table: the outbox of webhooks and what became of each. */
@Repository
class DeliveryStore {
    private static final String COLUMNS = "id, event_id, event_type, created_at, status, attempts, next_attempt_at,"
            + " last_attempt_at, response_code, response_body, error";

    private final JdbcClient jdbc;

    DeliveryStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A team's notice, to each of its enabled endpoints that chose the notice's event. */
    record Owed(long teamId, Notice notice) {
    }

    /** One row per endpoint told, in one statement however many notices; how many rows. */
    int enqueue(List<Owed> owed, Instant now) {
        if (owed.isEmpty()) return 0;
        Long[] teams = owed.stream().map(Owed::teamId).toArray(Long[]::new);
        String[] ids = owed.stream().map(o -> o.notice().id().toString()).toArray(String[]::new);
        String[] types = owed.stream().map(o -> o.notice().type().value()).toArray(String[]::new);
        String[] events = owed.stream().map(o -> Payloads.generic(o.notice())).toArray(String[]::new);
        return jdbc.sql("""
                INSERT INTO notification_deliveries (endpoint_id, event_id, event_type, event, created_at, status, next_attempt_at)
                SELECT e.id, n.event_id::uuid, n.event_type, n.event, ?, 'PENDING', ?
                FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY AS n(team_id, event_id, event_type, event, i)
                JOIN notification_endpoints e ON e.team_id = n.team_id AND n.event_type = ANY (e.events) AND e.enabled
                ORDER BY n.i, e.id""")
                .params(Timestamp.from(now), Timestamp.from(now), teams, ids, types, events).update();
    }

    /** A delivery claimed for one attempt. */
    record Claimed(long id, long endpointId, String event, int attempts, Instant createdAt, Instant claimedAt) {
    }

    /**
     * Takes up to {@code limit} due deliveries of active endpoints for one attempt: counts the
     * attempt and moves their next try to {@code leaseUntil}, so no other deliverer takes them while
     * this one sends (rows another deliverer is claiming are skipped), and one that dies mid-send
     * leaves them to be tried again then.
     */
    List<Claimed> claim(Instant now, Instant leaseUntil, int limit) {
        return jdbc.sql("""
                UPDATE notification_deliveries d SET attempts = d.attempts + 1, last_attempt_at = ?, next_attempt_at = ?
                WHERE d.id IN (SELECT d2.id FROM notification_deliveries d2
                    JOIN notification_endpoints e ON e.id = d2.endpoint_id AND e.enabled AND e.paused_at IS NULL
                    WHERE d2.status = 'PENDING' AND d2.next_attempt_at <= ?
                    ORDER BY d2.next_attempt_at, d2.id LIMIT ? FOR UPDATE OF d2 SKIP LOCKED)
                RETURNING d.id, d.endpoint_id, d.event, d.attempts, d.created_at, d.last_attempt_at""")
                .params(Timestamp.from(now), Timestamp.from(leaseUntil), Timestamp.from(now), limit)
                .query((rs, n) -> new Claimed(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4),
                        rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant())).list();
    }

    void delivered(long id, int code, String body) {
        jdbc.sql("UPDATE notification_deliveries SET status = 'DELIVERED', next_attempt_at = NULL, response_code = ?,"
                + " response_body = ?, error = NULL WHERE id = ?").params(code, body, id).update();
    }

    /** @param next the next try, or null: given up */
    void failed(long id, Integer code, String body, String error, Instant next) {
        jdbc.sql("UPDATE notification_deliveries SET status = ?, next_attempt_at = ?, response_code = ?, response_body = ?,"
                        + " error = ? WHERE id = ?")
                .params(next == null ? "FAILED" : "PENDING", next == null ? null : Timestamp.from(next), code, body, error, id)
                .update();
    }

    /** The endpoint's newest deliveries first. */
    List<Delivery> list(long endpointId, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM notification_deliveries WHERE endpoint_id = ? ORDER BY id DESC LIMIT ?")
                .params(endpointId, limit).query((rs, n) -> read(rs)).list();
    }

    /** The newest delivery of each of the team's endpoints that has one, by endpoint id: one index probe per endpoint. */
    java.util.Map<Long, Delivery> latest(long teamId) {
        var out = new java.util.HashMap<Long, Delivery>();
        jdbc.sql("SELECT e.id AS endpoint_id, d.* FROM notification_endpoints e CROSS JOIN LATERAL (SELECT " + COLUMNS
                        + " FROM notification_deliveries WHERE endpoint_id = e.id ORDER BY id DESC LIMIT 1) d WHERE e.team_id = ?")
                .param(teamId).query((rs, n) -> out.put(rs.getLong("endpoint_id"), read(rs))).list();
        return out;
    }

    Optional<Delivery> find(long endpointId, long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM notification_deliveries WHERE endpoint_id = ? AND id = ?")
                .params(endpointId, id).query((rs, n) -> read(rs)).optional();
    }

    /** A new delivery of the same event to the same endpoint, due now; its id. */
    long resend(long endpointId, long id, Instant now) {
        return jdbc.sql("""
                INSERT INTO notification_deliveries (endpoint_id, event_id, event_type, event, created_at, status, next_attempt_at)
                SELECT endpoint_id, event_id, event_type, event, ?, 'PENDING', ? FROM notification_deliveries
                WHERE endpoint_id = ? AND id = ? RETURNING id""")
                .params(Timestamp.from(now), Timestamp.from(now), endpointId, id).query(Long.class).single();
    }

    /** Gives up on the endpoint's pending deliveries created before {@code before}; how many. */
    int expire(long endpointId, Instant before, String why) {
        return jdbc.sql("UPDATE notification_deliveries SET status = 'FAILED', next_attempt_at = NULL, error = ?"
                        + " WHERE endpoint_id = ? AND status = 'PENDING' AND created_at < ?")
                .params(why, endpointId, Timestamp.from(before)).update();
    }

    private static Delivery read(ResultSet rs) throws SQLException {
        int code = rs.getInt("response_code");
        Integer responseCode = rs.wasNull() ? null : code;
        return new Delivery(rs.getLong("id"), rs.getObject("event_id", UUID.class), rs.getString("event_type"),
                rs.getTimestamp("created_at").toInstant(), Delivery.Status.valueOf(rs.getString("status")), rs.getInt("attempts"),
                instant(rs.getTimestamp("next_attempt_at")), instant(rs.getTimestamp("last_attempt_at")), responseCode,
                rs.getString("response_body"), rs.getString("error"));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
