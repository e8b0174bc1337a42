package dev.berth.platform.users;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class UserRepository {
    private final JdbcClient jdbc;

    public UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<UserAccount> find(String username) {
        return jdbc.sql("SELECT * FROM users WHERE username = ?").param(username).query(UserRepository::map).optional();
    }

    public Optional<UserAccount> find(long id) {
        return jdbc.sql("SELECT * FROM users WHERE id = ?").param(id).query(UserRepository::map).optional();
    }

    public List<UserAccount> all() {
        return jdbc.sql("SELECT * FROM users ORDER BY username").query(UserRepository::map).list();
    }

    public long count() {
        return jdbc.sql("SELECT count(*) FROM users").query(Long.class).single();
    }

    /** Inserts a user; returns empty when the name is taken. */
    public Optional<Long> insert(String username, String passwordHash, boolean platformAdmin, Instant now) {
        return jdbc.sql("""
                INSERT INTO users (username, password_hash, platform_admin, created_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (username) DO NOTHING RETURNING id""")
                .params(username, passwordHash, platformAdmin, Timestamp.from(now))
                .query(Long.class).optional();
    }

    public void setPassword(long userId, String passwordHash) {
        jdbc.sql("UPDATE users SET password_hash = ? WHERE id = ?").params(passwordHash, userId).update();
    }

    /** Lifts a lockout and forgets counted failures. */
    public void unlock(long userId) {
        jdbc.sql("UPDATE users SET locked_until = NULL WHERE id = ?").param(userId).update();
        clearFailures(userId);
    }

    public void recordFailure(long userId, Instant at, Instant pruneBefore) {
        jdbc.sql("DELETE FROM login_failures WHERE user_id = ? AND failed_at < ?")
                .params(userId, Timestamp.from(pruneBefore)).update();
        jdbc.sql("INSERT INTO login_failures (user_id, failed_at) VALUES (?, ?)")
                .params(userId, Timestamp.from(at)).update();
    }

    public List<Instant> failuresSince(long userId, Instant since) {
        return jdbc.sql("SELECT failed_at FROM login_failures WHERE user_id = ? AND failed_at >= ?")
                .params(userId, Timestamp.from(since))
                .query((rs, n) -> rs.getTimestamp(1).toInstant()).list();
    }

    public void clearFailures(long userId) {
        jdbc.sql("DELETE FROM login_failures WHERE user_id = ?").param(userId).update();
    }

    public void lockUntil(long userId, Instant until) {
        jdbc.sql("UPDATE users SET locked_until = ? WHERE id = ?").params(Timestamp.from(until), userId).update();
    }

    /** Serialises concurrent failure bookkeeping for one account. */
    public void lockRow(long userId) {
        jdbc.sql("SELECT id FROM users WHERE id = ? FOR UPDATE").param(userId).query(Long.class).optional();
    }

    private static UserAccount map(ResultSet rs, int n) throws SQLException {
        Timestamp locked = rs.getTimestamp("locked_until");
        return new UserAccount(rs.getLong("id"), rs.getString("username"), rs.getString("password_hash"),
                rs.getBoolean("platform_admin"), locked == null ? null : locked.toInstant(),
                rs.getTimestamp("created_at").toInstant());
    }
}
