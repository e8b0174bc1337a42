package dev.berth.faulttests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testfixtures.AppView;
import dev.berth.testfixtures.GitCli;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Two platform instances on one PostgreSQL, two agents reaching both through proxies, one cluster
 * for two faults in turn. First, instance a is killed with SIGKILL while a rolling deployment of 3
 * replicas is half done: instance b finishes it, no replica is started twice, and the deployment's
 * timeline says how it ended and that instance a stopped answering and b took over. Then an agent is cut off from the platform (its link through a
 * {@link TcpProxy} reset and refused, the agent itself left running) for longer than the heartbeat
 * timeout: its replica is placed on the other agent; reconnected, it stops the copy nobody assigns
 * it any more, and at no sample (every 100 ms) do fewer replicas serve than the app wants.
 */
@ExtendWith(ProcessLogs.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstanceAndAgentFaultsTest {
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(6);
    private static FaultCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = FaultCluster.start(2, 2, HEARTBEAT_TIMEOUT, 23000);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) cluster.close();
    }

    @Test
    @Order(1)
    void theOtherInstanceFinishesTheRolloutWithoutStartingAnyReplicaTwice() throws Exception {
        var a = cluster.instances.get(0);
        long rev1 = GitCli.revisionOf(cluster.push(a, WebApp.definition(cluster.image, "one", 3, 0), "Deploy web"));
        cluster.awaitApp(WebApp.NAME, Duration.ofSeconds(90), "3 healthy replicas of revision " + rev1, WebApp.converged(rev1, 3));

        try (var watch = new ReplicaWatch(cluster)) {
            // Each new replica takes 3 s to listen, so the rollout of 3 lasts long enough to be cut in.
            long rev2 = GitCli.revisionOf(cluster.push(a, WebApp.definition(cluster.image, "two", 3, 3), "Say two"));
            cluster.awaitApp(WebApp.NAME, Duration.ofSeconds(60), "one healthy replica of revision " + rev2 + " of three",
                    v -> AppView.replicas(v).filter(r -> r.path("revision").asLong() == rev2
                            && r.path("state").asString().equals("HEALTHY")).count() == 1);
            a.kill();
            long killedAt = System.nanoTime();

            JsonNode done = cluster.awaitApp(WebApp.NAME, Duration.ofSeconds(90), "3 healthy replicas of revision " + rev2
                    + " through instance b", WebApp.converged(rev2, 3));
            System.out.printf("[faults] rollout finished %d ms after instance a was killed%n", (System.nanoTime() - killedAt) / 1_000_000);
            watch.close();

            Set<String> rev2Containers = watch.containersOf(rev2);
            assertThat(rev2Containers).as("replica rows of revision %d ever seen", rev2).hasSize(3);
            assertThat(AppView.replicas(done).map(r -> r.path("container").asString()).toList())
                    .containsExactlyInAnyOrderElementsOf(rev2Containers);
            assertThat(watch.agentsRunning).as("containers seen on more than one agent")
                    .allSatisfy((container, agents) -> assertThat(agents).as(container).hasSize(1));
            assertThat(watch.agentsRunning.keySet().stream().filter(c -> !watch.containerRevision.containsKey(c)).toList())
                    .as("containers on the agents that no replica row named").isEmpty();

            // The survivor notices the silence (12 s without a check-in) and says so in the deployment's timeline.
            JsonNode timeline = awaitTimeline(Duration.ofSeconds(45), "the takeover told",
                    t -> t.get(0).path("message").asString().contains("stopped answering"));
            System.out.println("[faults] timeline after the kill: " + timeline);
            JsonNode newest = timeline.get(0);
            assertThat(newest.path("revision").asLong()).isEqualTo(rev2);
            assertThat(newest.path("state").asString()).isEqualTo("succeeded");
            assertThat(newest.path("message").asString()).as("what the deployment says happened")
                    .contains("platform instance ").contains(":" + a.port + " stopped answering")
                    .contains("instance ").contains(":" + cluster.instances.get(1).port + " took over its work");
            assertThat(timeline.get(1).path("message").asString()).as("the deployment that had ended before the kill")
                    .doesNotContain("stopped answering");
            assertThat(timeline.get(1).path("revision").asLong()).isEqualTo(rev1);
            assertThat(cluster.api().get("/api/v1/audit/verify").path("intact").asBoolean()).isTrue();
        }
    }

    /** The app's deployments, newest first, once {@code condition} holds for them. */
    private static JsonNode awaitTimeline(Duration within, String what, java.util.function.Predicate<JsonNode> condition)
            throws Exception {
        var deadline = Instant.now().plus(within);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = cluster.api().get("/api/v1/teams/" + FaultCluster.TEAM + "/apps/" + WebApp.NAME + "/deployments");
            if (condition.test(last)) return last;
            Thread.sleep(250);
        }
        throw new AssertionError("not within " + within + ": " + what + "; last seen: " + last);
    }

    @Test
    @Order(2)
    void aPartitionedAgentsReplicaMovesAndItsCopyStopsWithoutAGap() throws Exception {
        var platform = cluster.instances.stream().filter(PlatformInstance::alive).findFirst().orElseThrow();
        var kept = cluster.agents.get(0);
        var cutOff = cluster.agents.get(1);
        long rev = GitCli.revisionOf(cluster.push(platform, WebApp.definition(cluster.image, "one", 2, 0), "Deploy web"));
        JsonNode app = cluster.awaitApp(WebApp.NAME, Duration.ofSeconds(90), "2 healthy replicas, one per agent",
                v -> WebApp.converged(rev, 2).test(v) && AppView.replicas(v).map(r -> r.path("hostId").asString())
                        .distinct().count() == 2);

        String cutOffAddress = AppView.replicas(app).filter(r -> r.path("hostId").asString().equals(cutOff.hostId()))
                .flatMap(r -> AppView.addresses(r).stream()).findFirst().orElseThrow();
        try (var sampler = new ServingSampler(cluster, cutOff.hostId(), cutOffAddress)) {
            cluster.agentLinks.get(1).cut();
            long cutAt = System.nanoTime();
            cluster.awaitApp(WebApp.NAME, HEARTBEAT_TIMEOUT.plusSeconds(40), "2 healthy replicas on agent " + kept.name,
                    v -> AppView.healthy(v) == 2 && AppView.replicas(v).filter(r -> r.path("state").asString().equals("HEALTHY"))
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
}
