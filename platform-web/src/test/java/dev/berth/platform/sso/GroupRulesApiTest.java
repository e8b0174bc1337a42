package dev.berth.platform.sso;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The group rules API: what a platform admin may send, and what is refused with which words. */
class GroupRulesApiTest extends PlatformTest {
    @LocalServerPort
    int port;

    private Api admin() {
        var api = Api.at(port);
        return api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
    }

    private static Map<String, Object> rule(String group, String team, String role) {
        var body = new HashMap<String, Object>();
        body.put("group", group);
        body.put("team", team);
        body.put("role", role);
        return body;
    }

    @Test
    void anAdminAddsListsAndDeletesARuleAndEachChangeIsAudited() {
        var admin = admin();
        assertThat(admin.post("/api/v1/teams", Map.of("name", "rules-payments")).status()).isEqualTo(201);
        var created = admin.post("/api/v1/sso/group-rules", rule("payments-devs", "rules-payments", "deployer"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("group").asString()).isEqualTo("payments-devs");
        assertThat(created.json().get("role").asString()).isEqualTo("DEPLOYER");
        long id = created.json().get("id").asLong();
        assertThat(admin.get("/api/v1/sso/group-rules").body()).contains("\"team\":\"rules-payments\"");

        var twice = admin.post("/api/v1/sso/group-rules", rule("payments-devs", "rules-payments", "ADMIN"));
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.json().get("detail").asString()).contains("already has a rule for team 'rules-payments'");

        assertThat(admin.delete("/api/v1/sso/group-rules/" + id).status()).isEqualTo(204);
        assertThat(admin.delete("/api/v1/sso/group-rules/" + id).status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/sso/group-rules").body()).doesNotContain("\"id\":" + id + ",");
        var audit = admin.get("/api/v1/audit?team=rules-payments").body();
        assertThat(audit).contains("sso.rule.create").contains("sso.rule.delete");
    }

    @Test
    void badRulesAreRefusedSayingWhatIsWrong() {
        var admin = admin();
        assertThat(admin.post("/api/v1/teams", Map.of("name", "rules-web")).status()).isEqualTo(201);
        Map<Map<String, Object>, String> refused = Map.of(
                rule("", "rules-web", "VIEWER"), "group: the group name is empty",
                rule(null, "rules-web", "VIEWER"), "group: the group name is empty",
                rule("x".repeat(257), "rules-web", "VIEWER"), "at most 256",
                rule("devs", "no-such-team", "VIEWER"), "team: there is no team 'no-such-team'",
                rule("devs", null, "VIEWER"), "team: a team is required",
                rule("devs", "rules-web", "OWNER"), "unknown role 'OWNER': use one of VIEWER, DEPLOYER, ADMIN",
                rule("devs", "rules-web", null), "role: a role is required");
        refused.forEach((body, message) -> {
            var response = admin.post("/api/v1/sso/group-rules", body);
            assertThat(response.status()).as(body.toString()).isEqualTo(400);
            assertThat(response.json().get("detail").asString()).as(body.toString()).contains(message);
        });
    }
}
