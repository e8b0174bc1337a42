package dev.berth.faulttests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * An agent cut off from the platform (its link through a {@link TcpProxy} reset and refused, the
 * agent itself left running) for longer than the heartbeat timeout: its replica is placed on the
 * other agent; reconnected, it stops the copy nobody assigns it any more, and at no sample (every
 * 100 ms) do fewer replicas serve than the app wants.
 */
@ExtendWith(ProcessLogs.class)
class AgentPartitionTest {
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(6);
    private static FaultCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = FaultCluster.start(1, 2, HEARTBEAT_TIMEOUT, 23800);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) cluster.close();
    }

    @Test
    void aPartitionedAgentsReplicaMovesAndItsCopyStopsWithoutAGap() throws Exception {
        var platform = cluster.instances.getFirst();
        var kept = cluster.agents.get(0);
        var cutOff = cluster.agents.get(1);
        long rev = FaultCluster.revisionOf(cluster.push(platform, WebApp.definition(cluster.image, "one", 2, 0), "Deploy web"));
        JsonNode app = cluster.awaitApp(WebApp.NAME, Duration.ofSeconds(90), "2 healthy replicas, one per agent",
                v -> WebApp.converged(rev, 2).test(v) && WebApp.replicas(v).map(r -> r.path("hostId").asString())
                        .distinct().count() == 2);

        try (var sampler = new ServingSampler(WebApp.addresses(app))) {
            cluster.agentLinks.get(1).cut();
            long cutAt = System.nanoTime();
            cluster.awaitApp(WebApp.NAME, HEARTBEAT_TIMEOUT.plusSeconds(40), "2 healthy replicas on agent " + kept.name,
                    v -> WebApp.healthy(v) == 2 && WebApp.replicas(v).filter(r -> r.path("state").asString().equals("HEALTHY"))
                            .allMatch(r -> r.path("hostId").asString().equals(kept.hostId())));
            System.out.printf("[faults] replica placed elsewhere %d ms after the cut%n", (System.nanoTime() - cutAt) / 1_000_000);
            assertThat(cutOff.containers()).as("the partitioned agent keeps running its copy meanwhile").isNotEmpty();

            cluster.agentLinks.get(1).heal();
            long healedAt = System.nanoTime();
            var deadline = Instant.now().plusSeconds(40);
            while (!cutOff.containers().isEmpty() && Instant.now().isBefore(deadline)) Thread.sleep(100);
            assertThat(cutOff.containers()).as("agent %s's containers after it reconnected", cutOff.name).isEmpty();
            System.out.printf("[faults] unassigned copy gone %d ms after reconnecting%n", (System.nanoTime() - healedAt) / 1_000_000);
            Thread.sleep(1000);
            sampler.close();
            assertThat(sampler.samples).as("samples").hasSizeGreaterThan(50);
            assertThat(sampler.gaps).as("samples with fewer than 2 replicas serving (of %d)", sampler.samples.size()).isEmpty();
        }
        cluster.awaitApp(WebApp.NAME, Duration.ofSeconds(30), "the app converged on agent " + kept.name, WebApp.converged(rev, 2));
    }

    /** Every 100 ms, how many of the app's published addresses (every one ever listed) answer. */
    private static final class ServingSampler implements AutoCloseable {
        final List<String> samples = new CopyOnWriteArrayList<>();
        final List<String> gaps = new CopyOnWriteArrayList<>();
        private final Set<String> addresses = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        ServingSampler(List<String> initial) {
            addresses.addAll(initial);
            thread = Thread.ofPlatform().name("serving-sampler").start(() -> {
                while (running.get()) {
                    long started = System.nanoTime();
                    var answer = lookAtApp();
                    if (answer != null) addresses.addAll(WebApp.addresses(answer));
                    var serving = addresses.stream().filter(a -> WebApp.fetch(a, Duration.ofMillis(500)) != null).sorted().toList();
                    String sample = Instant.now() + " " + serving;
                    samples.add(sample);
                    if (serving.size() < 2) gaps.add(sample);
                    long left = 100 - (System.nanoTime() - started) / 1_000_000;
                    if (left > 0) sleep(left);
                }
            });
        }

        private static JsonNode lookAtApp() {
            try {
                var answer = cluster.api().send("GET", "/api/v1/teams/" + FaultCluster.TEAM + "/apps/" + WebApp.NAME, null);
                return answer.status() == 200 ? answer.json() : null;
            } catch (Exception e) {
                return null;
            }
        }

        private void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                running.set(false);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }
}
