package dev.berth.platform.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.MutableClock;
import dev.berth.platform.PlatformTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Over HTTP: a token mints only narrower, shorter-lived tokens, and a narrowed token manages no others. */
class TokenReachTest extends PlatformTest {
    private static final String PASSWORD = "reach-password-1";

    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;

    private Api root() {
        var api = Api.at(port);
        return api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
    }

    @Test
    void aTokenCannotMintATokenThatOutlivesIt() {
        var api = Api.at(port);
        var expiresAt = clock.instant().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        var shortLived = api.basic("admin", ADMIN_PASSWORD).post("/api/v1/tokens",
                Map.of("name", "short", "expiresAt", expiresAt.toString()));
        assertThat(shortLived.status()).isEqualTo(201);
        var minter = api.bearer(shortLived.json().get("token").asString());

        var longer = minter.post("/api/v1/tokens", Map.of("name", "longer",
                "expiresAt", expiresAt.plus(Duration.ofDays(30)).toString()));
        assertThat(longer.status()).as(longer.toString()).isEqualTo(403);
        assertThat(longer.contentType()).startsWith("application/problem+json");
        assertThat(longer.json().get("detail").asString()).contains("expiresAt").contains("cannot outlive it");

        // Left out, the expiry is inherited rather than "never".
        var inherited = minter.post("/api/v1/tokens", Map.of("name", "inherits"));
        assertThat(inherited.status()).as(inherited.toString()).isEqualTo(201);
        assertThat(Instant.parse(inherited.json().get("expiresAt").asString())).isEqualTo(expiresAt);

        var shorter = minter.post("/api/v1/tokens", Map.of("name", "shorter",
                "expiresAt", expiresAt.minus(Duration.ofHours(1)).toString()));
        assertThat(shorter.status()).isEqualTo(201);

        // Password (Basic) minting stays bounded only by the maximum lifetime.
        assertThat(api.basic("admin", ADMIN_PASSWORD).post("/api/v1/tokens", Map.of("name", "long",
                "expiresAt", expiresAt.plus(Duration.ofDays(30)).toString())).status()).isEqualTo(201);
    }

    @Test
    void aNarrowedTokenCannotMintATokenThatReachesFurther() {
        var api = Api.at(port);
        var root = root();
        assertThat(root.post("/api/v1/users", Map.of("username", "reach-user", "password", PASSWORD)).status()).isEqualTo(201);
        for (String team : new String[]{"reach-a", "reach-b"}) {
            assertThat(root.post("/api/v1/teams", Map.of("name", team)).status()).isEqualTo(201);
            assertThat(root.post("/api/v1/teams/" + team + "/members", Map.of("username", "reach-user", "role", "ADMIN"))
                    .status()).isEqualTo(201);
        }
        var viewer = api.bearer(api.basic("reach-user", PASSWORD).post("/api/v1/tokens",
                Map.of("name", "viewer", "team", "reach-a", "role", "VIEWER")).json().get("token").asString());

        var otherTeam = viewer.post("/api/v1/tokens", Map.of("name", "x", "team", "reach-b"));
        assertThat(otherTeam.status()).isEqualTo(403);
        assertThat(otherTeam.json().get("detail").asString()).contains("narrowed to team 'reach-a'").contains("'reach-b'");
        var higherRole = viewer.post("/api/v1/tokens", Map.of("name", "x", "team", "reach-a", "role", "ADMIN"));
        assertThat(higherRole.status()).isEqualTo(403);
        assertThat(higherRole.json().get("detail").asString()).contains("at most VIEWER").contains("ADMIN");

        var narrower = viewer.post("/api/v1/tokens", Map.of("name", "same"));
        assertThat(narrower.status()).isEqualTo(201);
        assertThat(narrower.json().get("team").asString()).isEqualTo("reach-a");
        assertThat(narrower.json().get("role").asString()).isEqualTo("VIEWER");
        // What it minted can do no more than VIEWER either.
        var minted = api.bearer(narrower.json().get("token").asString());
        assertThat(minted.post("/api/v1/teams/reach-a/members", Map.of("username", "admin", "role", "VIEWER")).status())
                .isEqualTo(403);
    }

    @Test
    void aViewerScopedTokenCannotListOrRevokeItsUsersOtherTokens() {
        var api = Api.at(port);
        var root = root();
        assertThat(root.post("/api/v1/users", Map.of("username", "reach-lister", "password", PASSWORD)).status()).isEqualTo(201);
        assertThat(root.post("/api/v1/teams", Map.of("name", "reach-list")).status()).isEqualTo(201);
        assertThat(root.post("/api/v1/teams/reach-list/members", Map.of("username", "reach-lister", "role", "ADMIN"))
                .status()).isEqualTo(201);
        var fullCreated = api.basic("reach-lister", PASSWORD).post("/api/v1/tokens", Map.of("name", "full"));
        var full = api.bearer(fullCreated.json().get("token").asString());
        String fullId = fullCreated.json().get("id").asString();
        var viewerCreated = full.post("/api/v1/tokens", Map.of("name", "viewer", "team", "reach-list", "role", "VIEWER"));
        var viewer = api.bearer(viewerCreated.json().get("token").asString());
        String viewerId = viewerCreated.json().get("id").asString();

        var list = viewer.get("/api/v1/tokens");
        assertThat(list.status()).isEqualTo(403);
        assertThat(list.json().get("detail").asString()).contains("narrowed to team 'reach-list' as VIEWER");
        var revoke = viewer.delete("/api/v1/tokens/" + fullId);
        assertThat(revoke.status()).isEqualTo(403);
        assertThat(revoke.json().get("detail").asString()).contains("revoking another of your tokens");
        assertThat(full.get("/api/v1/tokens").status()).as("the full token still works and lists").isEqualTo(200);

        assertThat(viewer.delete("/api/v1/tokens/" + viewerId).status()).as("a token may revoke itself").isEqualTo(204);
        assertThat(viewer.get("/api/v1/teams").status()).isEqualTo(401);
    }
}
