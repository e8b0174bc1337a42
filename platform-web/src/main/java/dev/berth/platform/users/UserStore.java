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
class UserStore {
    private final JdbcClient jdbc;

    UserStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<UserAccount> find(String username) {
        return jdbc.sql("SELECT * FROM users WHERE username = ?").param(username).query(UserStore::map).optional();
    }

    public Optional<UserAccount> find(long id) {
        return jdbc.sql("SELECT * FROM users WHERE id = ?").param(id).query(UserStore::map).optional();
    }

    public List<UserAccount> all() {
        return jdbc.sql("SELECT * FROM users ORDER BY username").query(UserStore::map).list();
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

    /** Sets the password and moves the credentials version on; returns the new version. */
    public long setPassword(long userId, String passwordHash) {
        return jdbc.sql("""
                UPDATE users SET password_hash = ?, credentials_version = credentials_version + 1
                WHERE id = ? RETURNING credentials_version""")
                .params(passwordHash, userId).query(Long.class).single();
    }

    /** The current credentials version, or empty if the user is gone. */
    public Optional<Long> credentialsVersion(long userId) {
        return jdbc.sql("SELECT credentials_version FROM users WHERE id = ?").param(userId).query(Long.class).optional();
    }

    private static UserAccount map(ResultSet rs, int n) throws SQLException {
        return new UserAccount(rs.getLong("id"), rs.getString("username"), rs.getString("password_hash"),
                rs.getBoolean("platform_admin"), rs.getLong("credentials_version"),
                rs.getTimestamp("created_at").toInstant());
    }
}
