package dev.berth.faulttests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testfixtures.AppView;
import dev.berth.testfixtures.GitCli;
import dev.berth.testfixtures.ServingClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * One platform instance and two agents, one cluster for two faults in turn. First PostgreSQL is
 * stopped for {@code berth.faults.outage-seconds} (60 by default) while the agents serve: the app
 * answers every request, the platform's API answers 503 with a problem and not a stack trace, its
 * readiness turns not ready, and when the database returns a push deploys again without a restart,
 * with every audit event and revision from before still there and the chain intact. Then the
 * platform is killed with SIGKILL during {@code git push}, at a random moment of each of a series of
 * pushes ({@code berth.faults.push-kills}, 3 by default; {@code berth.faults.seed} repeats a series;
 * every second push the moment its deploy branch moves), and started again: each push either fully happened (deploy branch moved to its commit, revision
 * recorded, push audited) or not at all, and the audit chain verifies.
 */
@ExtendWith(ProcessLogs.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OnePlatformFaultsTest {
    private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("berth.faults.outage-seconds", 60));
    /** Requests started this long after the stop must find the platform knowing the database is gone. */
    private static final Duration NOTICE = Duration.ofSeconds(5);
    /** How long a look at the platform waits for its answer: longer than a pool's connection timeout (30 s). */
    private static final Duration LOOK_TIMEOUT = Duration.ofSeconds(45);
    private static final int KILLS = Integer.getInteger("berth.faults.push-kills", 3);
    private static FaultCluster cluster;

    /** One look at the platform during the outage, started and answered so long after the stop. */
    record Look(long atMillis, long answeredMillis, String what, int status, String body) {
        @Override
        public String toString() {
            return atMillis + ".." + answeredMillis + " ms " + what + " → " + status + " " + body.substring(0, Math.min(body.length(), 300));
        }
    }

    /** What is left of one push after the kill and the restart. */
    record Outcome(int push, String commit, long killAfterMillis, boolean gitSucceeded, boolean branchHasIt,
                   boolean revisionRecorded, boolean audited, String gitOutput) {
        boolean whole() {
            return branchHasIt == revisionRecorded && revisionRecorded == audited && (!gitSucceeded || audited);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        // Agents' hosts must still count as alive when the database returns: the outage is no heartbeat timeout.
        // They call again when the platform's Retry-After (5 s) says, not after a backoff grown to a minute,
        // so half a minute past the outage is room enough.
        cluster = FaultCluster.start(1, 2, OUTAGE.plusSeconds(30), 23400);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) cluster.close();
    }

    @Test
    @Order(1)
    void agentsServeThroughTheOutageAndThePlatformResumesWithNothingLost() throws Exception {
        var platform = cluster.instances.getFirst();
        long rev1 = GitCli.revisionOf(cluster.push(platform, WebApp.definition(cluster.image, "one", 2, 0), "Deploy web"));
        JsonNode app = cluster.awaitApp(WebApp.NAME, Duration.ofSeconds(90), "2 healthy replicas", WebApp.converged(rev1, 2));
        String auditBefore = cluster.api().text("/api/v1/audit");
        List<Long> revisionsBefore = revisions();
        var addresses = new AtomicReference<>(AppView.addresses(app));

        var looks = new CopyOnWriteArrayList<Look>();
        long restartedMillis;
        try (var client = new ServingClient(addresses::get)) {
            var lookers = Executors.newVirtualThreadPerTaskExecutor();
            cluster.postgres.stop();
            long stoppedAt = System.nanoTime();
            var api = cluster.api();
            // A look every 2 s, each on its own thread, so a request the platform holds does not delay the next.
            while (System.nanoTime() - stoppedAt < OUTAGE.toNanos()) {
                lookers.submit(() -> looks.add(look(stoppedAt, "GET /api/v1/teams/acme/apps/web", api,
                        "/api/v1/teams/" + FaultCluster.TEAM + "/apps/" + WebApp.NAME)));
                lookers.submit(() -> looks.add(look(stoppedAt, "GET /actuator/health/readiness", api.anonymous(),
                        "/actuator/health/readiness")));
                Thread.sleep(2000);
            }
            restartedMillis = (System.nanoTime() - stoppedAt) / 1_000_000;
            cluster.postgres.start();
            long back = System.nanoTime();
            lookers.shutdown();
            lookers.awaitTermination(LOOK_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
            System.out.println("[faults] during the outage: " + String.join("\n  ", looks.stream()
                    .sorted(java.util.Comparator.comparingLong(Look::atMillis)).map(Look::toString).toList()));

            // Back without a restart: a new push deploys, while the client still requests.
            long rev2 = GitCli.revisionOf(cluster.push(platform, WebApp.definition(cluster.image, "two", 2, 0), "Say two"));
            System.out.printf("[faults] first push accepted %d ms after the database returned%n", (System.nanoTime() - back) / 1_000_000);
            JsonNode after = cluster.awaitApp(WebApp.NAME, Duration.ofSeconds(90), "2 healthy replicas of revision " + rev2,
                    WebApp.converged(rev2, 2));
            addresses.set(AppView.addresses(after));
            Thread.sleep(500);
            assertThat(client.failures()).as("requests to the app that failed (of %d that did not)", client.ok()).isEmpty();
            assertThat(client.ok()).isGreaterThan(50);
        }

        // What was there before the outage is all there, first: it matters most.
        String auditAfter = cluster.api().text("/api/v1/audit");
        assertThat(auditAfter.lines().toList()).as("audit events from before the outage").containsAll(auditBefore.lines().toList());
        assertThat(revisions()).as("revisions from before the outage").containsAll(revisionsBefore);
        assertThat(cluster.api().get("/api/v1/audit/verify").path("intact").asBoolean()).isTrue();
        var settled = looks.stream().filter(l -> l.atMillis() >= NOTICE.toMillis() && l.answeredMillis() < restartedMillis)
                .sorted(java.util.Comparator.comparingLong(Look::atMillis)).toList();
        assertThat(settled.stream().filter(l -> l.what().startsWith("GET /api")).toList())
                .as("the REST API once the outage was noticed: 503 with a problem, no stack trace")
                .isNotEmpty()
                .allSatisfy(l -> {
                    assertThat(l.status()).as(l.toString()).isEqualTo(503);
                    assertThat(l.body()).as(l.toString()).doesNotContain("Exception").doesNotContain("\tat ");
                });
        assertThat(settled.stream().filter(l -> l.what().contains("readiness")).toList())
                .as("readiness once the outage was noticed").allSatisfy(l -> assertThat(l.status()).as(l.toString()).isEqualTo(503));
    }

    private static Look look(long stoppedAt, String what, Api api, String path) {
        long at = (System.nanoTime() - stoppedAt) / 1_000_000;
        int status = 0;
        String body;
        try {
            var answer = api.send("GET", path, null, LOOK_TIMEOUT);
            status = answer.status();
            body = answer.body();
        } catch (IOException e) {
            body = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            body = "interrupted";
        }
        return new Look(at, (System.nanoTime() - stoppedAt) / 1_000_000, what, status, body);
    }

    private static List<Long> revisions() throws Exception {
        var out = new ArrayList<Long>();
        try (var c = cluster.postgres.superuser(); var st = c.createStatement(); var rs = st.executeQuery("SELECT id FROM revisions")) {
            while (rs.next()) out.add(rs.getLong(1));
        }
        return out;
    }

    @Test
    @Order(2)
    void everyPushCutByAKillEitherFullyHappenedOrNotAtAll() throws Exception {
        var platform = cluster.instances.getFirst();
        long seed = Long.getLong("berth.faults.seed", System.nanoTime());
        var random = new Random(seed);
        // A warm push that is not cut short sets the span the kills fall in (the first one is cold).
        cluster.push(platform, WebApp.definition(cluster.image, "zero", 1, 0), "Warm up");
        long started = System.nanoTime();
        cluster.push(platform, WebApp.definition(cluster.image, "one", 1, 0), "Measure");
        long pushMillis = (System.nanoTime() - started) / 1_000_000;

        var outcomes = new ArrayList<Outcome>();
        for (int i = 1; i <= KILLS; i++) {
            String commit = cluster.commit(WebApp.definition(cluster.image, "push-" + i, 1, 0), "Push " + i);
            // In the push's later part mostly, where the pack is in and the ref and the records are written;
            // every second push is cut the moment its deploy branch moves, the narrowest window there is.
            long killAfter = (long) (pushMillis * (0.3 + 0.8 * random.nextDouble()));
            long pushedAt = System.nanoTime();
            var git = GitCli.start(cluster.work, cluster.checkout, "push", cluster.remote(platform), "HEAD:refs/heads/main");
            if (i % 2 == 0) awaitBranchAt(commit, Duration.ofMillis(3 * pushMillis));
            else Thread.sleep(killAfter);
            platform.kill();
            killAfter = (System.nanoTime() - pushedAt) / 1_000_000;
            String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean gitSucceeded = git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0;
            platform.start();
            outcomes.add(new Outcome(i, commit, killAfter, gitSucceeded, branchHas(commit), revisionRecorded(commit),
                    audited(commit), output.strip()));
        }
        System.out.printf("[faults] seed %d, an uncut push took %d ms; outcomes:%n  %s%n", seed, pushMillis,
                String.join("\n  ", outcomes.stream().map(Outcome::toString).toList()));
        assertThat(outcomes).as("pushes cut by a kill (seed %d): each whole or not at all", seed).allMatch(Outcome::whole);
        assertThat(cluster.api().get("/api/v1/audit/verify").path("intact").asBoolean()).as("the audit chain verifies").isTrue();
        // And the platform takes pushes again.
        GitCli.revisionOf(cluster.push(platform, WebApp.definition(cluster.image, "after", 1, 0), "After the kills"));
    }

    /** Waits (polling the loose ref every millisecond) until the hosted deploy branch names {@code commit}. */
    private static void awaitBranchAt(String commit, Duration within) throws Exception {
        Path ref = cluster.work.resolve("git").resolve(FaultCluster.TEAM).resolve(FaultCluster.REPOSITORY + ".git")
                .resolve("refs/heads/main");
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (Files.readString(ref).strip().equals(commit)) return;
            } catch (IOException beingReplaced) {
                // a lock file renamed over it right now
            }
            Thread.sleep(1);
        }
    }

    private static boolean branchHas(String commit) throws Exception {
        var git = GitCli.start(cluster.work, cluster.work, "--git-dir", cluster.work.resolve("git").resolve(FaultCluster.TEAM)
                .resolve(FaultCluster.REPOSITORY + ".git").toString(), "merge-base", "--is-ancestor", commit, "refs/heads/main");
        git.getInputStream().readAllBytes();
        return git.waitFor() == 0;
    }

    private static boolean revisionRecorded(String commit) throws Exception {
        try (var c = cluster.postgres.superuser(); var st = c.prepareStatement("SELECT count(*) FROM revisions WHERE commit_id = ?")) {
            st.setString(1, commit);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    private static boolean audited(String commit) throws Exception {
        List<String> lines = cluster.api().text("/api/v1/audit").lines()
                .filter(l -> l.contains("\"repository.push\"") && l.contains(commit)).toList();
        return lines.stream().anyMatch(l -> !l.toLowerCase().contains("\"failure\""));
    }
}
