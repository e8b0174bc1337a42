package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Host drain, removal and capacity caps, with simulated agents over real HTTP: replicas move off a
 * drained host each once its replacement is healthy, a removed host's credential is refused at once
 * and its replicas are placed elsewhere, and placement counts a host's registered capacity, not
 * what its heartbeats claim.
 */
class HostStandingTest extends DeployTest {

    /** The app's live replicas are all healthy, {@code count} of them, on these hosts only. */
    private void runsHealthyOn(String team, int count, SimulatedAgent... hosts) {
        var ids = java.util.Arrays.stream(hosts).map(h -> h.hostId).toList();
        eventually(() -> {
            var replicas = list(app(team, "web").get("replicas"));
            assertThat(replicas).hasSize(count).allSatisfy(r -> {
                assertThat(r.get("hostId").asString()).isIn(ids);
                assertThat(r.get("state").asString()).isEqualTo("HEALTHY");
            });
        });
    }

    @Test
    void aDrainedHostsReplicasMoveEachOnceItsReplacementIsHealthyAndItGetsNoNewOnes() throws Exception {
        var a = agent("a");
        var b = agent("b");
        onlyTheseHostsAlive(a, b);
        String team = team();
        long revision = push(team, web(2, "one", ""));
        succeededAt(team, "web", revision);
        assertThat(a.containers()).hasSize(1);
        var c = agent("c");

        var drained = admin.post("/api/v1/hosts/" + a.hostId + "/drain", Map.of("reason", "new disk"));
        expect(200, drained);
        assertThat(drained.json().get("drain").get("by").asString()).isEqualTo("admin");
        runsHealthyOn(team, 2, b, c);
        eventually(() -> assertThat(a.containers()).as("the agent removes what left its assignment").isEmpty());

        // The replica on a stopped only once its replacement on c was healthy: the app kept two serving.
        var moved = history(team, "web").stream().filter(r -> r.host().equals(a.hostId)).toList();
        assertThat(moved).singleElement().satisfies(r ->
                assertThat(r.reason()).isEqualTo("host " + a.hostId + " is draining; replaced on another host"));
        var replacement = history(team, "web").stream().filter(r -> r.host().equals(c.hostId)).toList();
        assertThat(replacement).singleElement().satisfies(r -> assertThat(r.created()).isBefore(moved.getFirst().stopped()));
        assertThat(audit("host.drain")).contains("host:" + a.hostId).contains("new disk");

        // While it drains, a push places nothing on it.
        long next = push(team, web(3, "two", ""));
        succeededAt(team, "web", next);
        runsHealthyOn(team, 3, b, c);
        assertThat(a.containers()).isEmpty();

        // Undrained, it takes replicas again.
        expect(200, admin.send("DELETE", "/api/v1/hosts/" + a.hostId + "/drain", Map.of(), Map.of()));
        long third = push(team, web(3, "three", ""));
        succeededAt(team, "web", third);
        eventually(() -> assertThat(a.containers()).hasSize(1));
        retire(team);
    }

    @Test
    void aRemovedHostIsRefusedAtOnceAndItsReplicasArePlacedOnTheOthers() throws Exception {
        var a = agent("a");
        var b = agent("b");
        onlyTheseHostsAlive(a, b);
        String team = team();
        long revision = push(team, web(2, "one", ""));
        succeededAt(team, "web", revision);
        assertThat(b.containers()).hasSize(1);

        expect(204, admin.send("DELETE", "/api/v1/hosts/" + b.hostId, Map.of("reason", "compromised"), Map.of()));
        var refused = b.api().get("/agent/v1/assignments?after=-1");
        expect(401, refused);
        assertThat(refused.json().get("detail").asString()).startsWith("host " + b.hostId + " was removed from the platform");
        eventually(() -> assertThat(b.failure()).contains("401"));
        b.close();

        runsHealthyOn(team, 2, a);
        assertThat(history(team, "web").stream().filter(r -> r.host().equals(b.hostId)))
                .singleElement().satisfies(r -> assertThat(r.reason()).isEqualTo("host " + b.hostId + " is not registered"));
        assertThat(audit("host.remove")).contains("host:" + b.hostId).contains("compromised");
        // Removed, not lost: its silence is not audited as a loss.
        assertThat(audit("host.lost")).doesNotContain("host:" + b.hostId);
        retire(team);
    }

    @Test
    void placementCountsTheRegisteredCapacityWhateverTheHeartbeatsClaim() throws Exception {
        var small = agent("small", 1L << 30, 2000);
        small.claim(1L << 40, 64_000);
        onlyTheseHostsAlive(small);
        eventually(() -> {
            var hosts = list(admin.get("/api/v1/hosts").json());
            var me = hosts.stream().filter(h -> h.get("id").asString().equals(small.hostId)).findFirst().orElseThrow();
            assertThat(me.get("reported").get("memoryBytes").asLong()).isEqualTo(1L << 40);
            assertThat(me.get("memoryBytes").asLong()).isEqualTo(1L << 30);
        });
        String team = team();
        push(team, """
                apiVersion: berth/v1
                apps:
                  web:
                    image: %s
                    replicas: 3
                    resources: {memory: 400Mi, cpu: 0.5}
                """.formatted(image));
        // 1Gi holds two of 400Mi; the claimed 1Ti would have held all three.
        eventually(() -> {
            assertThat(list(app(team, "web").get("replicas"))).hasSize(2);
            assertThat(app(team, "web").get("deployment").get("message").asString())
                    .contains("cannot place replicas").contains("the most free host " + small.hostId + " has 224Mi memory");
        });
        // The agent starts them on its next poll, after the platform has placed them.
        eventually(() -> assertThat(small.containers()).hasSize(2));
        retire(team);
    }
}
