package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.AssignedContainer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * App secrets over real HTTP: set, listed by name only, deleted, sealed at rest, audited without
 * the value; handed only to hosts that run the app; a deployment waits for a missing one.
 */
class SecretsTest extends DeployTest {
    private static final String VALUE = "correct-horse-battery-staple";

    private String path(String team, String app) {
        return "/api/v1/teams/" + team + "/apps/" + app + "/secrets";
    }

    @Test
    void aSecretIsSetListedByNameAndDeletedWithoutItsValueEverShowing() {
        String team = team();
        var set = admin.put(path(team, "web") + "/DB_PASSWORD", Map.of("value", VALUE));
        expect(200, set);
        assertThat(set.json().get("name").asString()).isEqualTo("DB_PASSWORD");
        assertThat(set.json().get("updatedBy").asString()).isEqualTo("admin");
        assertThat(set.body()).doesNotContain(VALUE);
        expect(200, admin.put(path(team, "web") + "/API_KEY", Map.of("value", "")));

        var listed = admin.get(path(team, "web"));
        expect(200, listed);
        assertThat(StreamSupport.stream(listed.json().spliterator(), false).map(s -> s.get("name").asString()))
                .containsExactly("API_KEY", "DB_PASSWORD");
        assertThat(listed.body()).doesNotContain(VALUE);
        assertThat(admin.get(path(team, "other")).json()).isEmpty();

        byte[] sealed = jdbc.sql("SELECT s.sealed FROM app_secrets s JOIN teams t ON t.id = s.team_id WHERE t.name = ? AND s.name = ?")
                .params(team, "DB_PASSWORD").query(byte[].class).single();
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(VALUE).doesNotContain("horse");

        var audit = admin.get("/api/v1/audit?action=secret.set").body();
        assertThat(audit).contains("secret:" + team + "/web/DB_PASSWORD").doesNotContain(VALUE);

        expect(204, admin.delete(path(team, "web") + "/DB_PASSWORD"));
        var again = admin.delete(path(team, "web") + "/DB_PASSWORD");
        expect(404, again);
        assertThat(again.json().get("detail").asString()).isEqualTo("secret DB_PASSWORD is not set for " + team + "/web");
        assertThat(admin.get("/api/v1/audit?action=secret.delete").body()).contains("secret:" + team + "/web/DB_PASSWORD");
    }

    @Test
    void badSecretsAreRefusedSayingWhatIsWrong() {
        String team = team();
        var lower = admin.put(path(team, "web") + "/db_password", Map.of("value", "x"));
        expect(400, lower);
        assertThat(lower.contentType()).startsWith("application/problem+json");
        assertThat(lower.json().get("detail").asString()).startsWith("secret name 'db_password' is not valid");
        var app = admin.put(path(team, "Web") + "/X", Map.of("value", "x"));
        expect(400, app);
        assertThat(app.json().get("detail").asString()).startsWith("app name 'Web' is not valid");
        var missing = admin.put(path(team, "web") + "/X", Map.of());
        expect(400, missing);
        assertThat(missing.json().get("detail").asString()).contains("'value' is missing");
        var big = admin.put(path(team, "web") + "/X", Map.of("value", "x".repeat(64 * 1024 + 1)));
        expect(400, big);
        assertThat(big.json().get("detail").asString()).isEqualTo("the value of secret X is 65537 bytes; at most 65536");
        expect(200, admin.put(path(team, "web") + "/X", Map.of("value", "x".repeat(64 * 1024))));
        var nul = admin.put(path(team, "web") + "/X", Map.of("value", "a\u0000b"));
        expect(400, nul);
        assertThat(nul.json().get("detail").asString()).contains("NUL");
        expect(404, admin.put("/api/v1/teams/no-such-team/apps/web/secrets/X", Map.of("value", "x")));
    }

    @Test
    void aMissingSecretHoldsTheDeploymentUntilSetAndValuesReachOnlyHostsRunningTheApp() throws Exception {
        var a = agent("a");
        var b = agent("b");
        onlyTheseHostsAlive(a, b);
        String team = team();
        long revision = push(team, """
                apiVersion: berth/v1
                apps:
                  web:
                    image: %s
                    secrets: [DB_PASSWORD]
                  plain:
                    image: %s
                """.formatted(image, image));
        eventually(() -> assertThat(state(team, "plain")).isEqualTo("succeeded"));
        eventually(() -> assertThat(app(team, "web").get("deployment").get("message").asString())
                .isEqualTo("secret DB_PASSWORD is not set for " + team + "/web; set it with PUT /api/v1/teams/" + team
                        + "/apps/web/secrets/DB_PASSWORD"));
        var waiting = app(team, "web");
        assertThat(waiting.get("deployment").get("state").asString()).isEqualTo("in-progress");
        assertThat(waiting.get("replicas")).isEmpty();
        assertThat(waiting.get("missingSecrets").get(0).asString()).isEqualTo("DB_PASSWORD");
        assertThat(waiting.get("differences").get(0).asString()).startsWith("secret DB_PASSWORD is not set");

        expect(200, admin.put(path(team, "web") + "/DB_PASSWORD", Map.of("value", VALUE)));
        eventually(() -> assertThat(state(team, "web")).isEqualTo("succeeded"));
        assertThat(app(team, "web").get("revision").asLong()).isEqualTo(revision);
        var runsWeb = a.containers().keySet().stream().anyMatch(n -> n.startsWith(team + ".web.")) ? a : b;
        var other = runsWeb == a ? b : a;
        eventually(() -> assertThat(secretsOf(runsWeb, team + ".web")).containsExactly(Map.entry("DB_PASSWORD", VALUE)));
        for (var sim : List.of(a, b)) {
            assertThat(sim.received()).flatMap(asg -> asg.containers())
                    .filteredOn(c -> !c.spec().app().equals(team + ".web"))
                    .allSatisfy(c -> assertThat(c.secrets()).isEmpty());
        }
        assertThat(other.received()).flatMap(asg -> asg.containers())
                .noneMatch(c -> c.secrets().containsValue(VALUE));

        // A new value reaches the host with its next assignment.
        long before = runsWeb.generation();
        expect(200, admin.put(path(team, "web") + "/DB_PASSWORD", Map.of("value", "rotated")));
        eventually(() -> assertThat(secretsOf(runsWeb, team + ".web")).containsExactly(Map.entry("DB_PASSWORD", "rotated")));
        assertThat(runsWeb.generation()).isGreaterThan(before);
        retire(team);
    }

    @Test
    void aRevisionThatAddsAnUnsetSecretLeavesTheLastGoodOneRunning() throws Exception {
        var a = agent("a");
        onlyTheseHostsAlive(a);
        String team = team();
        String yaml = """
                apiVersion: berth/v1
                apps:
                  web:
                    image: %s
                    replicas: 2
                    deploy: {strategy: recreate}
                """.formatted(image);
        long good = push(team, yaml);
        eventually(() -> assertThat(state(team, "web")).isEqualTo("succeeded"));
        long needsKey = push(team, yaml + "    secrets: [API_KEY]\n");
        eventually(() -> assertThat(app(team, "web").get("deployment").get("message").asString())
                .startsWith("secret API_KEY is not set for " + team + "/web"));
        // Even recreate, which stops the old replicas first, leaves them alone for a revision that cannot start.
        var waiting = app(team, "web");
        assertThat(waiting.get("revision").asLong()).isEqualTo(needsKey);
        assertThat(StreamSupport.stream(waiting.get("replicas").spliterator(), false))
                .hasSize(2).allSatisfy(r -> assertThat(r.get("revision").asLong()).isEqualTo(good));
        assertThat(jdbc.sql("SELECT count(*) FROM replicas r JOIN teams t ON t.id = r.team_id WHERE t.name = ? AND r.stop_requested_at IS NOT NULL")
                .param(team).query(Long.class).single()).isZero();

        expect(200, admin.put(path(team, "web") + "/API_KEY", Map.of("value", "k")));
        eventually(() -> {
            var detail = app(team, "web");
            assertThat(detail.get("deployment").get("state").asString()).isEqualTo("succeeded");
            assertThat(StreamSupport.stream(detail.get("replicas").spliterator(), false))
                    .hasSize(2).allSatisfy(r -> assertThat(r.get("revision").asLong()).isEqualTo(needsKey));
        });
        retire(team);
    }

    private static Map<String, String> secretsOf(SimulatedAgent sim, String app) {
        return sim.containers().values().stream().filter(c -> c.spec().app().equals(app)).map(AssignedContainer::secrets)
                .findFirst().orElse(Map.of());
    }
}
