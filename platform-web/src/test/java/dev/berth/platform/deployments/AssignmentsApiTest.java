package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.Assignment;
import dev.berth.platform.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /agent/v1/assignments}: at once for {@code after=-1}, 204 when nothing changed within
 * {@code wait}, woken by a change here or by one another platform instance made in the database.
 */
class AssignmentsApiTest extends DeployTest {

    /** A registered host that never heartbeats, so it never counts as alive and is assigned nothing. */
    private Api silentHost() {
        var token = admin.post("/api/v1/hosts/join-tokens", Map.of()).json().get("token").asString();
        var body = new LinkedHashMap<String, Object>();
        body.put("version", 1);
        body.put("joinToken", token);
        body.put("hostname", "silent.test");
        body.put("capacity", Map.of("memoryBytes", 1L << 30, "cpuMillis", 1000));
        body.put("agentVersion", "test");
        var r = api.anonymous().post("/agent/v1/register", body);
        expect(201, r);
        return api.bearer(r.json().get("credential").asString());
    }

    private static String hostId(Api agent) {
        String credential = agent.authorization().substring("Bearer berth-agent_".length());
        return credential.substring(0, credential.lastIndexOf('_'));
    }

    @Test
    void afterMinusOneAnswersAtOnceAndAnUnchangedGenerationAnswers204AfterTheWait() {
        var host = silentHost();
        var first = host.get("/agent/v1/assignments?after=-1");
        expect(200, first);
        var assignment = Api.JSON.readValue(first.body(), Assignment.class);
        assertThat(assignment.version()).isEqualTo(Assignment.VERSION);
        assertThat(assignment.hostId()).isEqualTo(hostId(host));
        assertThat(assignment.generation()).isZero();
        assertThat(assignment.containers()).isEmpty();

        var unchanged = host.get("/agent/v1/assignments?after=0&wait=1");
        expect(204, unchanged);
        assertThat(unchanged.body()).isEmpty();
        expect(204, host.get("/agent/v1/assignments?after=0&wait=0"));
        // A generation from before a database restore is answered at once, so the agent converges.
        var restored = host.get("/agent/v1/assignments?after=41&wait=30");
        expect(200, restored);
        assertThat(Api.JSON.readValue(restored.body(), Assignment.class).generation()).isZero();
    }

    @Test
    void badParametersAndTheWrongCredentialsAreRefused() {
        var host = silentHost();
        var tooLong = host.get("/agent/v1/assignments?after=0&wait=56");
        expect(400, tooLong);
        assertThat(tooLong.contentType()).startsWith("application/problem+json");
        assertThat(tooLong.json().get("detail").asString()).isEqualTo("wait must be between 0 and 55 seconds, not 56");
        var negative = host.get("/agent/v1/assignments?after=-2");
        expect(400, negative);
        assertThat(negative.json().get("detail").asString()).contains("after must be -1");
        expect(400, host.get("/agent/v1/assignments?after=zero"));
        expect(401, admin.get("/agent/v1/assignments?after=-1"));
        expect(401, api.anonymous().get("/agent/v1/assignments?after=-1"));
    }

    @Test
    void aWaitingPollWakesWhenItsHostIsAssignedSomething() throws Exception {
        var sim = agent("a");
        onlyTheseHostsAlive(sim);
        long now = sim.generation();
        var poll = CompletableFuture.supplyAsync(() -> sim.api().get("/agent/v1/assignments?after=" + now + "&wait=50"));
        String team = team();
        push(team, """
                apiVersion: berth/v1
                apps:
                  web:
                    image: %s
                """.formatted(image));
        var answered = poll.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        expect(200, answered);
        var assignment = Api.JSON.readValue(answered.body(), Assignment.class);
        assertThat(assignment.generation()).isGreaterThan(now);
        // The host's generation may have moved for something else first (a host the last test left
        // being taken out): then the next poll carries the push's replica.
        for (int polls = 1; assignment.containers().stream().noneMatch(c -> c.spec().name().startsWith(team + ".web.")); polls++) {
            assertThat(polls).as("polls until the push's replica is assigned").isLessThan(10);
            answered = sim.api().get("/agent/v1/assignments?after=" + assignment.generation() + "&wait=50");
            expect(200, answered);
            assignment = Api.JSON.readValue(answered.body(), Assignment.class);
        }
        eventually(() -> assertThat(sim.containers().keySet()).anyMatch(n -> n.startsWith(team + ".web.")));

        // Field for field what the protocol's golden file has, which the agent's side asserts too.
        var golden = Api.JSON.readTree(Files.readString(GOLDEN.resolve("assignment-v1.json")));
        var sent = Api.JSON.readTree(answered.body());
        assertThat(names(sent)).isEqualTo(names(golden));
        var container = sent.get("containers").get(0);
        var goldenContainer = golden.get("containers").get(0);
        assertThat(names(container)).isEqualTo(names(goldenContainer));
        assertThat(names(container.get("spec"))).isEqualTo(names(goldenContainer.get("spec")));
        assertThat(container.get("serving").isBoolean()).as("serving is sent, never left out").isTrue();
        assertThat(container.get("serving").asBoolean()).as("a first rollout serves").isTrue();
        retire(team);
    }

    /** The agent protocol's golden files. */
    private static final Path GOLDEN = Path.of("..", "host-agent", "protocol", "src", "test", "resources", "golden");

    private static List<String> names(JsonNode object) {
        return object.properties().stream().map(Map.Entry::getKey).sorted().toList();
    }

    @Test
    void aChangeAnotherPlatformInstanceMadeWakesThePollToo() throws Exception {
        var host = silentHost();
        var poll = CompletableFuture.supplyAsync(() -> host.get("/agent/v1/assignments?after=0&wait=55"));
        // Give the poll time to start waiting; if it has not, it answers 200 at once, which is fine too.
        Thread.sleep(300);
        // As another instance would: the row changes, and nothing in this process is told.
        jdbc.sql("UPDATE hosts SET generation = generation + 1 WHERE id = ?").param(hostId(host)).update();
        // Re-checked every few seconds (Assignments.RECHECK), it answers long before its 55 s run out; a poll that only waited would time out here.
        var answered = poll.get(25, TimeUnit.SECONDS);
        expect(200, answered);
        assertThat(Api.JSON.readValue(answered.body(), Assignment.class).generation()).isEqualTo(1);
    }
}
