package dev.berth.platform.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

class PasswordTest extends PlatformTest {
    @LocalServerPort
    int port;

    private Api root() {
        var api = Api.at(port);
        return api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
    }

    @Test
    void changingYourOwnPasswordNeedsTheCurrentOneAndIsAudited() {
        var api = Api.at(port);
        var root = root();
        assertThat(root.post("/api/v1/users", Map.of("username", "pw-owner", "password", "first-password-1")).status()).isEqualTo(201);
        var me = api.bearer(api.tokenFor("pw-owner", "first-password-1"));

        var wrong = me.put("/api/v1/users/me/password", Map.of("currentPassword", "guess", "newPassword", "second-password-2"));
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.json().get("detail").asString()).isEqualTo("the current password is wrong");
        var tooShort = me.put("/api/v1/users/me/password", Map.of("currentPassword", "first-password-1", "newPassword", "short"));
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(tooShort.json().get("detail").asString()).contains("at least 12 characters");

        assertThat(me.put("/api/v1/users/me/password",
                Map.of("currentPassword", "first-password-1", "newPassword", "second-password-2")).status()).isEqualTo(204);
        assertThat(api.basic("pw-owner", "first-password-1").post("/api/v1/tokens", Map.of("name", "x")).status()).isEqualTo(401);
        assertThat(api.basic("pw-owner", "second-password-2").post("/api/v1/tokens", Map.of("name", "x")).status()).isEqualTo(201);

        var events = root.get("/api/v1/audit?action=user.password.change&q=pw-owner").body().lines().toList();
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).contains("\"outcome\":\"FAILURE\"");
        assertThat(events.get(1)).contains("\"outcome\":\"SUCCESS\"");
    }

    @Test
    void aPlatformAdminResetsAPasswordAndLiftsTheLockout() {
        var api = Api.at(port);
        var root = root();
        assertThat(root.post("/api/v1/users", Map.of("username", "pw-locked", "password", "first-password-1")).status()).isEqualTo(201);
        for (int i = 0; i < 5; i++) api.basic("pw-locked", "wrong").post("/api/v1/tokens", Map.of("name", "x"));
        assertThat(api.basic("pw-locked", "first-password-1").post("/api/v1/tokens", Map.of("name", "x")).status()).isEqualTo(401);

        var victim = api.bearer(root.post("/api/v1/tokens", Map.of("name", "y")).json().get("token").asString());
        // Not a platform admin: refused.
        assertThat(root.post("/api/v1/users", Map.of("username", "pw-helper", "password", "helper-password-1")).status()).isEqualTo(201);
        var helper = api.bearer(api.tokenFor("pw-helper", "helper-password-1"));
        assertThat(helper.put("/api/v1/users/pw-locked/password", Map.of("newPassword", "reset-password-3")).status()).isEqualTo(403);
        assertThat(victim.get("/api/v1/teams").status()).isEqualTo(200);

        assertThat(root.put("/api/v1/users/pw-locked/password", Map.of("newPassword", "reset-password-3")).status()).isEqualTo(204);
        assertThat(root.put("/api/v1/users/nobody-here/password", Map.of("newPassword", "reset-password-3")).status()).isEqualTo(404);
        assertThat(api.basic("pw-locked", "reset-password-3").post("/api/v1/tokens", Map.of("name", "x")).status()).isEqualTo(201);
        assertThat(root.get("/api/v1/audit?action=user.password.reset").body()).contains("\"target\":\"user:pw-locked\"");
    }
}
