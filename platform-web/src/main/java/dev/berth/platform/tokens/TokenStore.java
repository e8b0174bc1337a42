package dev.berth.platform.tokens;

import dev.berth.platform.access.Role;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class TokenStore {
    private final JdbcClient jdbc;

    TokenStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A token row with what authentication needs. {@code predatesPassword}: the owner's password
     * changed since it was minted (from a credential that predates the change), so it is void.
     */
    public record Stored(long userId, byte[] secretHash, ApiToken token, long credentialsVersion,
                         boolean predatesPassword) {
    }

    private static final String SELECT = """
            SELECT k.*, u.username, u.credentials_version AS owner_version, t.name AS team_name FROM api_tokens k
            JOIN users u ON u.id = k.user_id LEFT JOIN teams t ON t.id = k.team_id""";

    public Optional<Stored> findByPublicId(String publicId) {
        return jdbc.sql(SELECT + " WHERE k.public_id = ?").param(publicId).query(TokenStore::map).optional();
    }

    public List<ApiToken> ofUser(long userId) {
        return jdbc.sql(SELECT + " WHERE k.user_id = ? ORDER BY k.created_at DESC, k.id DESC")
                .param(userId).query(TokenStore::map).list().stream().map(Stored::token).toList();
    }

    public void insert(long userId, TokenSecret secret, String name, Long teamId, Role maxRole, Instant now, Instant expiresAt) {
        insert(userId, secret, name, teamId, maxRole, now, expiresAt, null);
    }

    /**
     * Inserts a token minted under the owner's credentials version {@code credentialsVersion}
     * (that of the token minting it), or under the current one when null.
     */
    public void insert(long userId, TokenSecret secret, String name, Long teamId, Role maxRole, Instant now, Instant expiresAt,
                       Long credentialsVersion) {
        jdbc.sql("""
                INSERT INTO api_tokens (public_id, user_id, name, secret_hash, team_id, max_role, created_at, expires_at,
                                        credentials_version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, COALESCE(CAST(? AS BIGINT), (SELECT credentials_version FROM users WHERE id = ?)))""")
                .params(secret.publicId(), userId, name, secret.hash(), teamId, maxRole == null ? null : maxRole.name(),
                        Timestamp.from(now), expiresAt == null ? null : Timestamp.from(expiresAt), credentialsVersion, userId)
                .update();
    }

    /** Carries a token the owner keeps over to their current credentials version. */
    public void keepAcrossPasswordChange(long userId, String publicId) {
        jdbc.sql("""
                UPDATE api_tokens SET credentials_version = (SELECT credentials_version FROM users WHERE id = ?)
                WHERE user_id = ? AND public_id = ?""").params(userId, userId, publicId).update();
    }

    /** Revokes an active token of this user; false if there is none by that id. */
    public boolean revoke(long userId, String publicId, Instant now) {
        return jdbc.sql("UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND public_id = ? AND revoked_at IS NULL")
                .params(Timestamp.from(now), userId, publicId).update() > 0;
    }

    /**
     * Revokes every active token of this user but {@code keep} (null: none); returns the ids revoked.
     */
    public List<String> revokeAllOf(long userId, String keep, Instant now) {
        return jdbc.sql("""
                UPDATE api_tokens SET revoked_at = ?
                WHERE user_id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)
                  AND public_id IS DISTINCT FROM ?
                RETURNING public_id""")
                .params(Timestamp.from(now), userId, Timestamp.from(now), keep).query(String.class).list();
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
        return new Stored(rs.getLong("user_id"), rs.getBytes("secret_hash"), token, rs.getLong("credentials_version"),
                rs.getLong("credentials_version") < rs.getLong("owner_version"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
