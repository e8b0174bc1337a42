package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import dev.berth.registry.RegistryPrerequisites;
import dev.berth.registry.TestImages;
import dev.berth.registry.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Many teams pushing at once: {@code bench.repositories} (50) hosted repositories of
 * {@code bench.teams} (10) teams, each with its own checkout, and every one of them pushed at the same
 * moment (a latch releases 50 {@code git push} processes together), {@code bench.rounds} times.
 * Each push is a one-commit berth.yaml change to the deploy branch over HTTP on loopback, reviewed
 * (image resolved against a loopback registry) and recorded; its latency is the git CLI's wall time,
 * process start to exit. Beside it the baseline: the same push alone, one at a time. Then the
 * correctness the load must not cost: every push printed its revision, every repository's deploy
 * branch is at its newest revision, every revision has exactly one {@code repository.push} audit
 * event and a deployment, no push is left in flight, and the audit chain verifies through its API.
 *
 * <p>Run alone: {@code ./mvnw -B -o -pl platform-web -am test -Dtest=ConcurrentPushBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}; options {@code -Dbench.repositories=50 -Dbench.teams=10
 * -Dbench.rounds=3 -Dbench.single=20}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentPushBenchmark extends PlatformTest {
    private static final int REPOSITORIES = Integer.getInteger("bench.repositories", 50);
    private static final int TEAMS = Integer.getInteger("bench.teams", 10);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int SINGLE = Integer.getInteger("bench.single", 20);
    private static final String PASSWORD = "a-long-enough-password";

    @LocalServerPort
    int port;

    private TestRegistry registry;
    private Path work;
    private String image;
    private Api root;
    private final List<Target> targets = new ArrayList<>();

    /** One repository, its team's deployer and its checkout. */
    private record Target(String team, String repository, String user, String token, Path checkout) {
    }

    @BeforeAll
    void setUp() throws Exception {
        RegistryPrerequisites.require();
        registry = TestRegistry.start();
        work = Files.createTempDirectory("berth-concurrent-push");
        var built = TestImages.writeLayout(work.resolve("layout"), "1", TestImages.busybox().withCmd("/bin/sh"));
        TestImages.push(built.layout(), "1", registry.host(), "acme/web:1", null);
        image = registry.host() + "/acme/web:1";

        root = Api.at(port).bearer(Api.at(port).tokenFor("admin", ADMIN_PASSWORD));
        var tokens = new ArrayList<String>();
        for (int t = 0; t < TEAMS; t++) {
            String team = "cpush-" + t;
            String user = "cpush-deployer-" + t;
            root.post("/api/v1/teams", Map.of("name", team));
            root.post("/api/v1/users", Map.of("username", user, "password", PASSWORD));
            root.post("/api/v1/teams/" + team + "/members", Map.of("username", user, "role", "DEPLOYER"));
            tokens.add(Api.at(port).tokenFor(user, PASSWORD));
        }
        for (int r = 0; r < REPOSITORIES; r++) {
            int t = r % TEAMS;
            String team = "cpush-" + t;
            String name = "repo-" + r;
            var created = root.post("/api/v1/teams/" + team + "/repositories", Map.of("name", name));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            Path checkout = Files.createDirectories(work.resolve("checkouts").resolve(name));
            git(checkout, "init", "-q");
            Files.writeString(checkout.resolve("README.md"), "# " + name + "\n" + "Deployed by Berth.\n".repeat(40));
            targets.add(new Target(team, name, "cpush-deployer-" + t, tokens.get(t), checkout));
        }
    }

    @AfterAll
    void tearDown() throws Exception {
        if (registry != null) registry.close();
        if (work != null) TestRegistry.deleteTree(work);
    }

    @Test
    void concurrentPushes() throws Exception {
        // Every repository's first revision, one at a time (untimed), then the lone pushes: the baseline.
        int[] pushes = new int[targets.size()];
        for (int i = 0; i < targets.size(); i++) push(targets.get(i), pushes[i]++);
        var single = new ArrayList<Double>();
        for (int i = 0; i < SINGLE + 3; i++) {
            double ms = push(targets.getFirst(), pushes[0]++);
            if (i >= 3) single.add(ms);
        }

        var concurrent = new ArrayList<Double>();
        var bursts = new ArrayList<Double>();
        ExecutorService pool = Executors.newFixedThreadPool(targets.size());
        try {
            for (int round = 0; round < ROUNDS; round++) {
                var go = new CountDownLatch(1);
                var futures = new ArrayList<Future<Double>>();
                for (int i = 0; i < targets.size(); i++) {
                    var target = targets.get(i);
                    int n = pushes[i]++;
                    commit(target, n);
                    futures.add(pool.submit((Callable<Double>) () -> {
                        go.await();
                        return timedPush(target);
                    }));
                }
                long start = System.nanoTime();
                go.countDown();
                for (var f : futures) concurrent.add(f.get());
                bursts.add((System.nanoTime() - start) / 1e6);
            }
        } finally {
            pool.shutdownNow();
        }

        // Every push is recorded, audited once, and the chain verifies.
        var invariant = new PushInvariant(root, database(), GIT_DIR);
        for (int i = 0; i < targets.size(); i++) {
            var t = targets.get(i);
            assertThat(invariant.revisions(t.team(), t.repository())).as("revisions of %s/%s", t.team(), t.repository()).hasSize(pushes[i]);
            invariant.holds(t.team(), t.repository());
        }
        assertThat(invariant.openIntents()).isZero();

        System.out.println();
        System.out.printf("git push of a one-commit berth.yaml change to a deploy branch: %d lone pushes after 3 warm-up pushes;"
                + " %d rounds of %d pushes to %d repositories of %d teams released together (ms)%n", SINGLE, ROUNDS, targets.size(),
                targets.size(), TEAMS);
        System.out.println("| | pushes | p50 | p95 | max |");
        System.out.println("|---|---|---|---|---|");
        row("one push alone (baseline)", single);
        row(targets.size() + " pushes at once, each push", concurrent);
        row(targets.size() + " pushes at once, the whole burst (first start to last exit)", bursts);
        System.out.printf("%d revisions recorded, each with one repository.push event; the audit chain verifies%n",
                Arrays.stream(pushes).sum());
    }

    private static void row(String what, List<Double> ms) {
        System.out.printf("| %s | %d | %.0f | %.0f | %.0f |%n", what, ms.size(), p(ms, 50), p(ms, 95), p(ms, 100));
    }

    /** Commits change {@code n} and pushes it; its wall time in ms. */
    private double push(Target t, int n) throws Exception {
        commit(t, n);
        return timedPush(t);
    }

    private void commit(Target t, int n) throws Exception {
        Files.writeString(t.checkout().resolve("berth.yaml"), """
                apiVersion: berth/v1
                apps:
                  %s:
                    image: %s
                    replicas: 0
                    env:
                      RELEASE: run-%d
                """.formatted(t.repository(), image, n));
        git(t.checkout(), "add", "-A");
        git(t.checkout(), "commit", "-q", "-m", "release " + n);
    }

    private double timedPush(Target t) throws Exception {
        String url = "http://" + t.user() + ":" + t.token() + "@127.0.0.1:" + port + "/git/" + t.team() + "/" + t.repository() + ".git";
        long start = System.nanoTime();
        GitCli.Result push = new GitCli(work).run(t.checkout(), "push", url, "HEAD:refs/heads/main");
        double ms = (System.nanoTime() - start) / 1e6;
        assertThat(push.exit()).as(t.repository() + "\n" + push.out()).isZero();
        assertThat(push.out()).as(push.out()).containsPattern("remote: Berth: revision \\d+ recorded for [0-9a-f]{12}");
        return ms;
    }

    private GitCli.Result git(Path dir, String... args) throws Exception {
        GitCli.Result g = new GitCli(work).run(dir, args);
        assertThat(g.exit()).as(String.join(" ", args) + "\n" + g.out()).isZero();
        return g;
    }

    private static double p(List<Double> values, int p) {
        return dev.berth.platform.Percentile.of(values, p);
    }
}
