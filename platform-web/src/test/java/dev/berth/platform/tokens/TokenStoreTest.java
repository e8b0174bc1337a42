package dev.berth.platform.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.PlatformTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

/** API tokens through their store, against a real PostgreSQL. */
class TokenStoreTest extends PlatformTest {
    @Autowired
    TokenStore tokens;

    @Autowired
    JdbcClient jdbc;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

    @Test
    void tokensKeepOnlyTheHashAndRevokeOnce() {
        long user = insertUser(jdbc, "repo-token-owner");
        var secret = TokenSecret.generate();
        tokens.insert(user, secret, "ci", null, null, now, now.plusSeconds(3600));
        var stored = tokens.findByPublicId(secret.publicId()).orElseThrow();
        assertThat(secret.matches(stored.secretHash())).isTrue();
        assertThat(stored.token().expiresAt()).isEqualTo(now.plusSeconds(3600));
        assertThat(tokens.revoke(user, secret.publicId(), now)).isTrue();
        assertThat(tokens.revoke(user, secret.publicId(), now)).isFalse();
        assertThatThrownBy(() -> jdbc.sql("INSERT INTO api_tokens (public_id, user_id, name, secret_hash, max_role, created_at)"
                + " VALUES ('x', ?, 'n', '\\x00', 'ADMIN', now())").param(user).update())
                .as("a highest role needs a team").isInstanceOf(DataIntegrityViolationException.class);
    }
}
