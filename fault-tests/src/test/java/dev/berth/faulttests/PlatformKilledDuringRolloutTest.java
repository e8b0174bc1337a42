package dev.berth.faulttests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Two platform instances on one PostgreSQL, two agents in front of both; instance a is killed with
 * SIGKILL while a rolling deployment of 3 replicas is half done. Instance b finishes it, no replica
 * is started twice, and the deployment's timeline says how it ended.
 */
@ExtendWith(ProcessLogs.class)
class PlatformKilledDuringRolloutTest {
    private static FaultCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = FaultCluster.start(2, 2, Duration.ofSeconds(10), 23000);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) cluster.close();
    }

    @Test
    void theOtherInstanceFinishesTheRolloutWithoutStartingAnyReplicaTwice() throws Exception {
        var a = cluster.instances.get(0);
        long rev1 = FaultCluster.revisionOf(cluster.push(a, WebApp.definition(cluster.image, "one", 3, 0), "Deploy web"));
        cluster.awaitApp(WebApp.NAME, Duration.ofSeconds(90), "3 healthy replicas of revision " + rev1, WebApp.converged(rev1, 3));

        try (var watch = new ReplicaWatch(cluster)) {
            // Each new replica takes 3 s to listen, so the rollout of 3 lasts long enough to be cut in.
            long rev2 = FaultCluster.revisionOf(cluster.push(a, WebApp.definition(cluster.image, "two", 3, 3), "Say two"));
            cluster.awaitApp(WebApp.NAME, Duration.ofSeconds(60), "one healthy replica of revision " + rev2 + " of three",
                    v -> WebApp.replicas(v).filter(r -> r.path("revision").asLong() == rev2
                            && r.path("state").asString().equals("HEALTHY")).count() == 1);
            a.kill();
            long killedAt = System.nanoTime();

            JsonNode done = cluster.awaitApp(WebApp.NAME, Duration.ofSeconds(90), "3 healthy replicas of revision " + rev2
                    + " through instance b", WebApp.converged(rev2, 3));
            System.out.printf("[faults] rollout finished %d ms after instance a was killed%n", (System.nanoTime() - killedAt) / 1_000_000);
            watch.close();

            Set<String> rev2Containers = watch.containersOf(rev2);
            assertThat(rev2Containers).as("replica rows of revision %d ever seen", rev2).hasSize(3);
            assertThat(WebApp.replicas(done).map(r -> r.path("container").asString()).toList())
                    .containsExactlyInAnyOrderElementsOf(rev2Containers);
            assertThat(watch.agentsRunning).as("containers seen on more than one agent")
                    .allSatisfy((container, agents) -> assertThat(agents).as(container).hasSize(1));
            assertThat(watch.agentsRunning.keySet().stream().filter(c -> !watch.containerRevision.containsKey(c)).toList())
                    .as("containers on the agents that no replica row named").isEmpty();

            JsonNode timeline = cluster.api().get("/api/v1/teams/" + FaultCluster.TEAM + "/apps/" + WebApp.NAME + "/deployments");
            System.out.println("[faults] timeline after the kill: " + timeline);
            JsonNode newest = timeline.get(0);
            assertThat(newest.path("revision").asLong()).isEqualTo(rev2);
            assertThat(newest.path("state").asString()).isEqualTo("succeeded");
            assertThat(newest.path("message").asString()).as("what the deployment says happened").isNotBlank();
            assertThat(timeline.get(1).path("revision").asLong()).isEqualTo(rev1);
            assertThat(cluster.api().get("/api/v1/audit/verify").path("intact").asBoolean()).isTrue();
        }
    }

    /**
     * Samples every 100 ms, until closed, the app's replica rows (container → revision) and the
     * containers each agent's runc holds (container → agents), so a replica started twice, on two
     * agents or as a second row, shows even if it was gone again by the end.
     */
    private static final class ReplicaWatch implements AutoCloseable {
        final Map<String, Long> containerRevision = new ConcurrentHashMap<>();
        final Map<String, Set<String>> agentsRunning = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        ReplicaWatch(FaultCluster cluster) throws Exception {
            sample(cluster);
            thread = Thread.ofPlatform().name("replica-watch").start(() -> {
                while (running.get()) {
                    try {
                        sample(cluster);
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        System.err.println("[faults] replica watch: " + e);
                    }
                }
            });
        }

        private void sample(FaultCluster cluster) throws Exception {
            try (var c = cluster.postgres.superuser();
                 var st = c.prepareStatement("SELECT container, revision_id FROM replicas WHERE app = ?")) {
                st.setString(1, WebApp.NAME);
                try (var rs = st.executeQuery()) {
                    while (rs.next()) containerRevision.put(rs.getString(1), rs.getLong(2));
                }
            }
            for (var agent : cluster.agents) {
                for (String container : agent.containers()) {
                    agentsRunning.computeIfAbsent(container, k -> ConcurrentHashMap.newKeySet()).add(agent.name);
                }
            }
        }

        Set<String> containersOf(long revision) {
            var out = new HashSet<String>();
            containerRevision.forEach((container, rev) -> {
                if (rev == revision) out.add(container);
            });
            return out;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            if (thread.isAlive()) thread.join(5000);
        }
    }
}
