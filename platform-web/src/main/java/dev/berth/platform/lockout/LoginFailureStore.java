package dev.berth.platform.lockout;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Failed sign-ins by account and source address, kept for the lockout window. Statements run
 * on their own (no surrounding transaction), so a row is visible to concurrent attempts as soon
 * as it is written: that is what bounds a burst of parallel guesses.
 */
@Repository
class LoginFailureStore {
    private final JdbcClient jdbc;

    LoginFailureStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records an attempt as failed until it succeeds; returns its row id. {@code userId} is null for an unknown user. */
    long insert(Long userId, String address, Instant at) {
        return jdbc.sql("INSERT INTO login_failures (user_id, source_address, failed_at) VALUES (?, ?, ?) RETURNING id")
                .params(userId, address, Timestamp.from(at)).query(Long.class).single();
    }

    void delete(long id) {
        jdbc.sql("DELETE FROM login_failures WHERE id = ?").param(id).update();
    }

    /** Forgets everything older than the window, for every account and address. */
    void pruneBefore(Instant before) {
        jdbc.sql("DELETE FROM login_failures WHERE failed_at < ?").param(Timestamp.from(before)).update();
    }

    /** Failures of one account from one address since {@code since}, but for the row {@code except}. */
    List<Instant> ofAccountFrom(long userId, String address, Instant since, long except) {
        return jdbc.sql("""
                SELECT failed_at FROM login_failures
                WHERE user_id = ? AND source_address = ? AND failed_at >= ? AND id <> ?""")
                .params(userId, address, Timestamp.from(since), except)
                .query((rs, n) -> rs.getTimestamp(1).toInstant()).list();
    }

    /** Failures from one address for any account since {@code since}, but for the row {@code except}. */
    List<Instant> from(String address, Instant since, long except) {
        return jdbc.sql("SELECT failed_at FROM login_failures WHERE source_address = ? AND failed_at >= ? AND id <> ?")
                .params(address, Timestamp.from(since), except)
                .query((rs, n) -> rs.getTimestamp(1).toInstant()).list();
    }

    /** The most failures of this account from any one address since {@code since}. */
    int mostFromOneAddress(long userId, Instant since) {
        return jdbc.sql("""
                SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM login_failures
                WHERE user_id = ? AND failed_at >= ? GROUP BY source_address) per_address""")
                .params(userId, Timestamp.from(since)).query(Integer.class).single();
    }

    /** A successful sign-in forgets that account's failures from that address. */
    void clear(long userId, String address) {
        jdbc.sql("DELETE FROM login_failures WHERE user_id = ? AND source_address = ?").params(userId, address).update();
    }

    /** A password reset forgets the account's failures from everywhere. */
    void clearAccount(long userId) {
        jdbc.sql("DELETE FROM login_failures WHERE user_id = ?").param(userId).update();
    }
}
