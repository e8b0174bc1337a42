package dev.berth.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.MutableClock;
import dev.berth.platform.PlatformTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

class LockoutTest extends PlatformTest {
    private static final String PASSWORD = "the-right-password";

    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;

    @Test
    void fiveFailuresInFifteenMinutesLockTheAccountForFifteenMinutesAndAreAudited() {
        var api = Api.at(port);
        var root = api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
        assertThat(root.post("/api/v1/users", Map.of("username", "lock-victim", "password", PASSWORD)).status()).isEqualTo(201);

        for (int i = 0; i < 4; i++) {
            assertThat(api.basic("lock-victim", "wrong-" + i).post("/api/v1/tokens", Map.of("name", "x")).status()).isEqualTo(401);
        }
        // Four failures: still open, and a success resets the count.
        assertThat(api.basic("lock-victim", PASSWORD).post("/api/v1/tokens", Map.of("name", "x")).status()).isEqualTo(201);
        for (int i = 0; i < 5; i++) {
            assertThat(api.basic("lock-victim", "wrong-" + i).post("/api/v1/tokens", Map.of("name", "x")).status()).isEqualTo(401);
        }
        var refused = api.basic("lock-victim", PASSWORD).post("/api/v1/tokens", Map.of("name", "x"));
        assertThat(refused.status()).as("right password while locked; events: %s",
                root.get("/api/v1/audit?q=lock-victim").body()).isEqualTo(401);

        var events = root.get("/api/v1/audit?action=account.locked").body();
        assertThat(events).contains("\"target\":\"user:lock-victim\"");
        var failures = root.get("/api/v1/audit?action=login.failure&q=lock-victim").body().lines().toList();
        assertThat(failures).hasSize(10);
        assertThat(failures.getLast()).contains("account locked");

        clock.advance(Duration.ofMinutes(14));
        assertThat(api.basic("lock-victim", PASSWORD).post("/api/v1/tokens", Map.of("name", "x")).status()).isEqualTo(401);
        clock.advance(Duration.ofMinutes(2));
        assertThat(api.basic("lock-victim", PASSWORD).post("/api/v1/tokens", Map.of("name", "x")).status()).isEqualTo(201);
    }

    @Test
    void failuresSpreadOverMoreThanFifteenMinutesDoNotLock() {
        var api = Api.at(port);
        var root = api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
        assertThat(root.post("/api/v1/users", Map.of("username", "lock-slow", "password", PASSWORD)).status()).isEqualTo(201);
        for (int i = 0; i < 8; i++) {
            assertThat(api.basic("lock-slow", "wrong").post("/api/v1/tokens", Map.of("name", "x")).status()).isEqualTo(401);
            clock.advance(Duration.ofMinutes(4));
        }
        assertThat(api.basic("lock-slow", PASSWORD).post("/api/v1/tokens", Map.of("name", "x")).status()).isEqualTo(201);
    }
}
