package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.notifications.Receiver;
import dev.berth.platform.notifications.Signature;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A replica that keeps restarting, as a simulated agent reports it over real HTTP, is told to the
 * team's webhooks (generic, Slack and Teams) on a real receiver on 127.0.0.1: once for the episode,
 * however many heartbeats report further restarts.
 */
class CrashLoopNotificationsTest extends DeployTest {

    @Test
    void aCrashLoopingReplicaIsToldOnceInEachFormat() throws Exception {
        try (var receiver = new Receiver()) {
            var a = agent("loop");
            onlyTheseHostsAlive(a);
            String team = team();
            var secrets = new java.util.HashMap<String, String>();
            for (String format : List.of("GENERIC", "SLACK", "TEAMS")) {
                var created = admin.post("/api/v1/teams/" + team + "/notifications", Map.of("name", format.toLowerCase(),
                        "url", receiver.url("/" + format.toLowerCase()).toString(), "format", format,
                        "events", List.of("replica.crash-looping")));
                expect(201, created);
                secrets.put(format.toLowerCase(), created.json().get("signingSecret").asString());
            }

            push(team, web(1, "one", "").replace("env: {VERSION: one}", "env: {VERSION: one, SIM: crash-loop}"));
            eventually(() -> assertThat(receiver.received()).hasSize(3));
            String replica = history(team, "web").getFirst().id();
            // Many more heartbeats, each with more restarts: still the same episode.
            int beats = a.heartbeats();
            eventually(() -> assertThat(a.heartbeats()).isGreaterThan(beats + 12));
            eventually(() -> assertThat(a.reported()).singleElement().satisfies(c -> assertThat(c.restarts()).isGreaterThan(8)));
            // Whatever was owed by then has been sent: the deliverer ticks every 2 seconds.
            Thread.sleep(2500);
            assertThat(receiver.received()).hasSize(3);
            for (String format : List.of("generic", "slack", "teams")) {
                var deliveries = admin.get("/api/v1/teams/" + team + "/notifications").json();
                long id = list(deliveries).stream().filter(e -> e.get("name").asString().equals(format)).findFirst()
                        .orElseThrow().get("id").asLong();
                var listed = admin.get("/api/v1/teams/" + team + "/notifications/" + id + "/deliveries").json();
                assertThat(list(listed)).as(format).singleElement()
                        .satisfies(d -> assertThat(d.get("event").asString()).isEqualTo("replica.crash-looping"));
            }

            var generic = receiver.received().stream().filter(r -> r.header("X-Berth-Event") != null)
                    .filter(r -> Api.JSON.readTree(r.text()).has("type")).findFirst().orElseThrow();
            assertThat(generic.header(Signature.HEADER)).isEqualTo(Signature.of(secrets.get("generic"), generic.body()));
            var body = Api.JSON.readTree(generic.text());
            assertThat(body.get("type").asString()).isEqualTo("replica.crash-looping");
            assertThat(body.get("team").asString()).isEqualTo(team);
            assertThat(body.get("app").asString()).isEqualTo("web");
            var details = body.get("details");
            assertThat(details.get("replica").asString()).isEqualTo(replica);
            assertThat(details.get("host").asString()).isEqualTo(a.hostId);
            assertThat(details.get("hostname").asString()).isEqualTo(a.hostname);
            assertThat(details.get("restarts").asString()).isEqualTo("3");
            assertThat(details.get("lastExitReason").asString()).isEqualTo("exited with code 3");

            var slack = receiver.received().stream().filter(r -> r.text().startsWith("{\"text\"")).findFirst().orElseThrow();
            assertThat(Api.JSON.readTree(slack.text()).get("text").asString())
                    .startsWith("*replica.crash-looping* " + team + "/web: replica " + replica).contains("exited with code 3");
            var teams = receiver.received().stream().filter(r -> r.text().contains("MessageCard")).findFirst().orElseThrow();
            assertThat(teams.text()).contains("\"title\":\"replica.crash-looping: " + team + "/web\"").contains("lastExitReason");
            retire(team);
        }
    }
}
