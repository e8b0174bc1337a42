package dev.berth.platform.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.MutableClock;
import dev.berth.platform.PlatformTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

class TokenLifecycleTest extends PlatformTest {
    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;
    @Autowired
    JdbcClient jdbc;

    @Test
    void theSecretIsShownOnceAndStoredOnlyAsAHash() {
        var api = Api.at(port);
        var created = api.basic("admin", ADMIN_PASSWORD).post("/api/v1/tokens", Map.of("name", "once"));
        String token = created.json().get("token").asString();
        String id = created.json().get("id").asString();
        assertThat(token).startsWith("berth_" + id + "_");
        var listed = api.bearer(token).get("/api/v1/tokens").body();
        assertThat(listed).contains(id).doesNotContain(token.substring(token.lastIndexOf('_') + 1));
        var stored = jdbc.sql("SELECT encode(secret_hash, 'hex') FROM api_tokens WHERE public_id = ?").param(id).query(String.class).single();
        assertThat(stored).hasSize(64).doesNotContain(token);
    }

    @Test
    void anExpiredTokenIsRefusedWithItsReason() {
        var api = Api.at(port);
        var expiresAt = clock.instant().plus(Duration.ofHours(1));
        var created = api.basic("admin", ADMIN_PASSWORD).post("/api/v1/tokens", Map.of("name", "short", "expiresAt", expiresAt.toString()));
        assertThat(created.status()).isEqualTo(201);
        var token = api.bearer(created.json().get("token").asString());
        assertThat(token.get("/api/v1/teams").status()).isEqualTo(200);
        clock.advance(Duration.ofHours(2));
        var refused = token.get("/api/v1/teams");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("detail").asString()).contains("expired");
    }

    @Test
    void aRevokedTokenIsRefusedAndTheRevocationAudited() {
        var api = Api.at(port);
        var created = api.basic("admin", ADMIN_PASSWORD).post("/api/v1/tokens", Map.of("name", "to-revoke"));
        var token = api.bearer(created.json().get("token").asString());
        String id = created.json().get("id").asString();
        var other = api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
        assertThat(other.delete("/api/v1/tokens/" + id).status()).isEqualTo(204);
        var refused = token.get("/api/v1/teams");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("detail").asString()).contains("revoked");
        assertThat(other.delete("/api/v1/tokens/" + id).status()).isEqualTo(404);
        assertThat(other.get("/api/v1/audit?action=token.revoke").body()).contains("token:" + id);
    }

    @Test
    void aForgedSecretForARealIdSaysNothingAboutTheToken() {
        var api = Api.at(port);
        var created = api.basic("admin", ADMIN_PASSWORD).post("/api/v1/tokens", Map.of("name", "real"));
        String id = created.json().get("id").asString();
        var forged = api.bearer("berth_" + id + "_" + "A".repeat(32)).get("/api/v1/teams");
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.json().get("detail").asString()).isEqualTo("the bearer token is not valid");
    }

    @Test
    void badTokenRequestsGetClearErrors() {
        var root = Api.at(port).bearer(Api.at(port).tokenFor("admin", ADMIN_PASSWORD));
        assertThat(root.post("/api/v1/tokens", Map.of("name", "")).json().get("detail").asString()).contains("name");
        assertThat(root.post("/api/v1/tokens", Map.of("name", "x", "role", "ADMIN")).json().get("detail").asString())
                .contains("needs a team");
        assertThat(root.post("/api/v1/tokens", Map.of("name", "x", "team", "nope-team")).status()).isEqualTo(404);
        assertThat(root.post("/api/v1/tokens", Map.of("name", "x", "expiresAt", "2001-01-01T00:00:00Z")).json()
                .get("detail").asString()).contains("in the past");
        var malformed = root.send("POST", "/api/v1/tokens", null, Map.of());
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(root.post("/api/v1/tokens", Map.of("name", "x", "role", "OWNER", "team", "t")).json().get("detail").asString())
                .contains("unknown role 'OWNER'");
    }
}
