package dev.berth.platform.tokens;

import dev.berth.platform.teams.Role;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class TokenRepository {
    private final JdbcClient jdbc;

    public TokenRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A token row with what authentication needs. */
    public record Stored(long userId, byte[] secretHash, ApiToken token) {
    }

    private static final String SELECT = """
            SELECT k.*, u.username, t.name AS team_name FROM api_tokens k
            JOIN users u ON u.id = k.user_id LEFT JOIN teams t ON t.id = k.team_id""";

    public Optional<Stored> findByPublicId(String publicId) {
        return jdbc.sql(SELECT + " WHERE k.public_id = ?").param(publicId).query(TokenRepository::map).optional();
    }

    public List<ApiToken> ofUser(long userId) {
        return jdbc.sql(SELECT + " WHERE k.user_id = ? ORDER BY k.created_at DESC, k.id DESC")
                .param(userId).query(TokenRepository::map).list().stream().map(Stored::token).toList();
    }

    public void insert(long userId, TokenSecret secret, String name, Long teamId, Role maxRole, Instant now, Instant expiresAt) {
        jdbc.sql("""
                INSERT INTO api_tokens (public_id, user_id, name, secret_hash, team_id, max_role, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(secret.publicId(), userId, name, secret.hash(), teamId, maxRole == null ? null : maxRole.name(),
                        Timestamp.from(now), expiresAt == null ? null : Timestamp.from(expiresAt))
                .update();
    }

    /** Revokes an active token of this user; false if there is none by that id. */
    public boolean revoke(long userId, String publicId, Instant now) {
        return jdbc.sql("UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND public_id = ? AND revoked_at IS NULL")
                .params(Timestamp.from(now), userId, publicId).update() > 0;
    }

    /** Records use at most once a minute per token, so busy scripts do not write on every call. */
    public void touch(String publicId, Instant now) {
        jdbc.sql("UPDATE api_tokens SET last_used_at = ? WHERE public_id = ? AND (last_used_at IS NULL OR last_used_at < ?)")
                .params(Timestamp.from(now), publicId, Timestamp.from(now.minusSeconds(60))).update();
    }

    private static Stored map(ResultSet rs, int n) throws SQLException {
        String role = rs.getString("max_role");
        var token = new ApiToken(rs.getString("public_id"), rs.getString("name"), rs.getString("username"),
                rs.getString("team_name"), role == null ? null : Role.valueOf(role),
                instant(rs, "created_at"), instant(rs, "expires_at"), instant(rs, "revoked_at"), instant(rs, "last_used_at"));
        return new Stored(rs.getLong("user_id"), rs.getBytes("secret_hash"), token);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
