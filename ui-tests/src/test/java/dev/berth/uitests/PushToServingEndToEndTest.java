package dev.berth.uitests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testfixtures.AppView;
import dev.berth.testfixtures.Await;
import dev.berth.testfixtures.GitCli;
import dev.berth.testfixtures.PublishedAddress;
import dev.berth.testfixtures.ServingClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The whole way from {@code git push} to serving replicas, with real everything: the platform on
 * embedded PostgreSQL, a loopback registry holding a busybox httpd image, and two agent daemons in
 * their own JVMs with their own state directories and port ranges, running containers through runc.
 * One test, in the order the issue tells it, because each step starts from the state the one before
 * left: deploy and spread, a rolling update under load without a failed request, a failing health
 * check rolled back automatically, an agent killed and its replicas rehomed, a rollback through the
 * API, and the audit log holding the chain.
 */
class PushToServingEndToEndTest {
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(6);
    private static final String APP = "web";
    private static Cluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = Cluster.start(HEARTBEAT_TIMEOUT);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) cluster.close();
    }

    /** berth.yaml for the httpd app: it serves {@code greeting} at / and is healthy when {@code healthPath} answers. */
    static String definition(String image, String greeting, String healthPath) {
        return """
                apiVersion: berth/v1
                apps:
                  web:
                    image: %s
                    command: ["/bin/sh", "-c", "echo \\"$GREETING\\" > /tmp/index.html && exec httpd -f -p 8080 -h /tmp"]
                    env: {GREETING: %s}
                    replicas: 2
                    resources: {memory: 64Mi, cpu: 0.25, pids: 64}
                    ports: [{name: http, port: 8080, publish: true}]
                    health: {http: {port: http, path: %s}, interval: 1s, timeout: 1s}
                    tmpfs: {/tmp: 1Mi}
                    deploy: {strategy: rolling, maxSurge: 1, maxUnavailable: 0, autoRollback: true, healthTimeout: 8s}
                """.formatted(image, greeting, healthPath);
    }

    @Test
    void aPushEndsWithReplicasServingAndEverythingOnTheWayIsReversibleAndAudited() throws Exception {
        var agents = cluster.startAgents(new AgentStart("a", "21000-21099"), new AgentStart("b", "21100-21199"));
        var a = agents.get(0);
        var b = agents.get(1);

        // 1. Two replicas, spread over the two agents, each serving through its published port.
        long rev1 = GitCli.revisionOf(cluster.push(definition(cluster.image, "one", "/index.html"), "Deploy web"));
        JsonNode app = awaitConverged(rev1, Duration.ofSeconds(60));
        assertThat(hostsOf(app)).containsExactlyInAnyOrder(a.hostId, b.hostId);
        List<String> addresses = AppView.addresses(app);
        assertThat(addresses).hasSize(2);
        for (String address : addresses) assertThat(PublishedAddress.fetch(address)).isEqualTo("one");

        // 2. A new revision while a client keeps requesting: not one failed request.
        long rev2;
        try (var client = new ServingClient(() -> addresses)) {
            rev2 = GitCli.revisionOf(cluster.push(definition(cluster.image, "two", "/index.html"), "Say two"));
            awaitConverged(rev2, Duration.ofSeconds(60));
            client.awaitAll("two", Duration.ofSeconds(10));
            assertThat(client.failures()).as("failed requests during the rolling update").isEmpty();
            assertThat(client.ok()).isGreaterThan(20);

            // 3. A revision whose health check fails: rolled back automatically; the old one kept serving.
            long rev3 = GitCli.revisionOf(cluster.push(definition(cluster.image, "three", "/missing.html"), "Break health"));
            JsonNode rolledBack = cluster.awaitApp(APP, Duration.ofSeconds(60), "an automatic rollback to revision " + rev2,
                    v -> v.path("deployment").path("kind").asString().equals("auto-rollback")
                            && v.path("deployment").path("revision").asLong() == rev2
                            && v.path("deployment").path("state").asString().equals("succeeded"));
            assertThat(rolledBack.path("revision").asLong()).isEqualTo(rev2);
            JsonNode deployments = cluster.api("GET", "/api/v1/teams/acme/apps/web/deployments", null, 200);
            assertThat(deployments.toString()).contains("\"revision\":" + rev3).contains("failed");
            awaitConverged(rev2, Duration.ofSeconds(30));
            assertThat(client.failures()).as("failed requests while revision " + rev3 + " failed and rolled back").isEmpty();
            client.awaitAll("two", Duration.ofSeconds(5));
        }

        // 4a. An agent killed and restarted within the heartbeat timeout adopts its containers: same replicas, no restart.
        JsonNode before = cluster.app(APP);
        cluster.kill(a);
        cluster.restart(a);
        JsonNode after = awaitConverged(rev2, Duration.ofSeconds(30));
        assertThat(replicaIds(after)).isEqualTo(replicaIds(before));
        for (JsonNode r : after.path("replicas")) assertThat(r.path("restarts").asInt()).isZero();

        // 4b. Killed for good: its replicas move to the other agent within the heartbeat timeout plus 10 seconds.
        cluster.kill(b);
        long killedAt = System.nanoTime();
        JsonNode rehomed = cluster.awaitApp(APP, HEARTBEAT_TIMEOUT.plusSeconds(10), "both replicas healthy on agent a",
                v -> AppView.healthy(v) == 2 && hostsOf(v).equals(Set.of(a.hostId)));
        long rehomeMillis = (System.nanoTime() - killedAt) / 1_000_000;
        for (String address : AppView.addresses(rehomed)) assertThat(PublishedAddress.fetch(address)).isEqualTo("two");
        // Restarted, b learns its replicas went elsewhere and removes what it still ran.
        cluster.restart(b);
        Await.until(Duration.ofSeconds(30), "agent b reports no containers", () -> hostContainers(b.hostId), List::isEmpty);

        // 5. Roll back to revision 1 through the API.
        cluster.api("POST", "/api/v1/teams/acme/apps/web/rollback",
                "{\"revision\": " + rev1 + ", \"reason\": \"two broke checkout\"}", 201);
        JsonNode pinned = awaitConverged(rev1, Duration.ofSeconds(60));
        assertThat(pinned.path("deployment").path("kind").asString()).isEqualTo("rollback");
        for (String address : AppView.addresses(pinned)) assertThat(PublishedAddress.fetch(address)).isEqualTo("one");

        // 6. The audit log holds the chain, and the chain verifies.
        String audit = cluster.raw("GET", "/api/v1/audit");
        assertThat(audit).contains("repository.push").contains(cluster.headCommit())
                .contains("deployment.create").contains("deployment.fail").contains("deployment.auto-rollback")
                .contains("deployment.rollback").contains("two broke checkout").contains("host.lost").contains(b.hostId);
        assertThat(cluster.api("GET", "/api/v1/audit/verify", null, 200).path("intact").asBoolean()).isTrue();
        System.out.println("[push-to-serving] rehome after kill -9: " + rehomeMillis + " ms");
    }

    /** Waits until the app's deployment of {@code revision} succeeded: both replicas healthy, nothing else running. */
    private static JsonNode awaitConverged(long revision, Duration within) throws Exception {
        return cluster.awaitApp(APP, within, "2 healthy replicas of revision " + revision + " and nothing else",
                v -> v.path("revision").asLong() == revision && v.path("replicas").size() == 2 && AppView.healthy(v) == 2
                        && v.path("deployment").path("state").asString().equals("succeeded")
                        && allServing(v)
                        && streamOf(v.path("replicas")).allMatch(r -> r.path("revision").asLong() == revision));
    }

    private static boolean allServing(JsonNode app) {
        return streamOf(app.path("replicas")).allMatch(r -> !r.path("published").isEmpty()
                && streamOf(r.path("published")).allMatch(p -> p.path("serving").asBoolean()));
    }

    private static Set<String> hostsOf(JsonNode app) {
        Set<String> hosts = new HashSet<>();
        app.path("replicas").forEach(r -> hosts.add(r.path("hostId").asString()));
        return hosts;
    }

    private static List<String> replicaIds(JsonNode app) {
        return streamOf(app.path("replicas")).map(r -> r.path("id").asString()).sorted().toList();
    }

    private static List<JsonNode> hostContainers(String hostId) {
        try {
            for (JsonNode h : cluster.api("GET", "/api/v1/hosts", null, 200)) {
                if (h.path("id").asString().equals(hostId)) return streamOf(h.path("containers")).toList();
            }
            return List.of();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.stream.Stream<JsonNode> streamOf(JsonNode array) {
        var out = new ArrayList<JsonNode>();
        array.forEach(out::add);
        return out.stream();
    }
}
