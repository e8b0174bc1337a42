package dev.berth.platform.clilogin;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The command line's sign-in requests and the wrong codes users entered. */
@Repository
class CliLoginStore {
    private final JdbcClient jdbc;

    CliLoginStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts a pending request; false when the user code is taken (the caller draws another). */
    boolean insert(DeviceCode device, UserCode user, String client, String hostName, String sourceKey, String sourceAddress,
                   String userAgent, Instant now, Instant expiresAt, int intervalSeconds) {
        return jdbc.sql("""
                INSERT INTO cli_login_requests (device_code_hash, user_code, client, host_name, source_key, source_address,
                                                user_agent, created_at, expires_at, interval_seconds, state)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING') ON CONFLICT (user_code) DO NOTHING""")
                .params(device.hash(), user.value(), client, hostName, sourceKey, sourceAddress, userAgent, Timestamp.from(now),
                        Timestamp.from(expiresAt), intervalSeconds)
                .update() > 0;
    }

    /** Requests from this source since {@code since}. */
    int countFrom(String sourceKey, Instant since) {
        return jdbc.sql("SELECT count(*) FROM cli_login_requests WHERE source_key = ? AND created_at >= ?")
                .params(sourceKey, Timestamp.from(since)).query(Integer.class).single();
    }

    /** Forgets requests that ended before {@code before}, and wrong codes entered before {@code failuresBefore}. */
    void prune(Instant before, Instant failuresBefore) {
        jdbc.sql("DELETE FROM cli_login_requests WHERE expires_at < ?").param(Timestamp.from(before)).update();
        jdbc.sql("DELETE FROM cli_login_code_failures WHERE failed_at < ?").param(Timestamp.from(failuresBefore)).update();
    }

    Optional<LoginRequest> byDeviceCode(DeviceCode device) {
        return jdbc.sql("SELECT * FROM cli_login_requests WHERE device_code_hash = ?").param(device.hash())
                .query(CliLoginStore::map).optional();
    }

    Optional<LoginRequest> byUserCode(UserCode code) {
        return jdbc.sql("SELECT * FROM cli_login_requests WHERE user_code = ?").param(code.value()).query(CliLoginStore::map).optional();
    }

    /** Notes a poll; {@code intervalSeconds} is the interval from now on. */
    void polled(long id, Instant now, int intervalSeconds) {
        jdbc.sql("UPDATE cli_login_requests SET last_polled_at = ?, interval_seconds = ? WHERE id = ?")
                .params(Timestamp.from(now), intervalSeconds, id).update();
    }

    /** Decides a pending request that has not expired; false when it was not pending (any more) or has expired. */
    boolean decide(long id, LoginRequest.State decision, long userId, long credentialsVersion, Instant now) {
        return jdbc.sql("""
                UPDATE cli_login_requests SET state = ?, decided_by = ?, decided_credentials = ?, decided_at = ?
                WHERE id = ? AND state = 'PENDING' AND expires_at > ?""")
                .params(decision.name(), userId, credentialsVersion, Timestamp.from(now), id, Timestamp.from(now)).update() > 0;
    }

    /**
     * Marks an approved request collected, in the caller's transaction; false when another poll
     * already did (or it expired meanwhile). The row lock this takes orders concurrent polls.
     */
    boolean consume(long id, Instant now) {
        return jdbc.sql("""
                UPDATE cli_login_requests SET state = 'CONSUMED', consumed_at = ?
                WHERE id = ? AND state = 'APPROVED' AND expires_at > ?""")
                .params(Timestamp.from(now), id, Timestamp.from(now)).update() > 0;
    }

    void insertFailure(long userId, Instant now) {
        jdbc.sql("INSERT INTO cli_login_code_failures (user_id, failed_at) VALUES (?, ?)").params(userId, Timestamp.from(now)).update();
    }

    List<Instant> failuresOf(long userId, Instant since) {
        return jdbc.sql("SELECT failed_at FROM cli_login_code_failures WHERE user_id = ? AND failed_at >= ?")
                .params(userId, Timestamp.from(since)).query((rs, n) -> rs.getTimestamp(1).toInstant()).list();
    }

    private static LoginRequest map(ResultSet rs, int n) throws SQLException {
        long decidedBy = rs.getLong("decided_by");
        Long by = rs.wasNull() ? null : decidedBy;
        long credentials = rs.getLong("decided_credentials");
        Long version = rs.wasNull() ? null : credentials;
        return new LoginRequest(rs.getLong("id"), new UserCode(rs.getString("user_code")), rs.getString("client"),
                rs.getString("host_name"), rs.getString("source_address"), rs.getString("user_agent"),
                instant(rs, "created_at"), instant(rs, "expires_at"), rs.getInt("interval_seconds"), instant(rs, "last_polled_at"),
                LoginRequest.State.valueOf(rs.getString("state")), by, version);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
