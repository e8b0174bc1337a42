package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.BerthApplication;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.TestDatabase;
import dev.berth.registry.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Two platform instances on one PostgreSQL and one repositories directory (this test's context and
 * a {@link SecondPlatform} process with the same settings and audit key), each receiving a real
 * {@code git push} to the same repository at the same moment, round after round: one wins, the
 * other is told to fetch first, and nothing is half-recorded.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = BerthApplication.class)
@Import(PlatformTest.Clocks.class)
@dev.berth.platform.OwnSecurityHolder
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushRaceTest {
    private static final String TEAM = "race";
    private static final String USER = "race-deployer";
    private static final int ROUNDS = 8;
    private static final Path DIR = PushInvariant.temporaryDirectory("berth-push-race");
    private static TestDatabase.Target database;
    /** A thread per git: the common pool may have one thread on a small machine, which would run the pushes one after the other. */
    private static final java.util.concurrent.Executor GITS = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    static synchronized TestDatabase.Target database() {
        if (database == null) database = TestDatabase.fresh("push-race");
        return database;
    }

    /** What both instances are started with. */
    static Map<String, String> settings() {
        var db = database();
        var requests = db.requestRole();
        var s = new LinkedHashMap<String, String>();
        s.put("berth.database.url", db.url());
        s.put("berth.database.user", requests.user());
        s.put("berth.database.password", requests.password());
        s.put("berth.database.migration-user", db.user());
        s.put("berth.database.migration-password", db.password());
        s.put("berth.admin.password", PlatformTest.ADMIN_PASSWORD);
        s.put("berth.git.repositories-dir", DIR.resolve("git").toString());
        s.put("berth.git.secret-key-file", DIR.resolve("secret.key").toString());
        s.put("berth.audit.key-file", DIR.resolve("audit.key").toString());
        s.put("berth.git.insecure-registries", "127.0.0.1:*");
        s.put("berth.network.allowed-private-targets", "127.0.0.0/8");
        // Its own Quartz cluster: the shared context's scheduler has the default name in this JVM.
        s.put("spring.quartz.scheduler-name", "berth-push-race");
        return s;
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        settings().forEach((k, v) -> registry.add(k, () -> v));
    }

    @LocalServerPort
    int port;

    private RegistryWithImage images;
    private SecondPlatform second;
    private String token;
    private PushInvariant invariant;

    @BeforeAll
    void start() throws Exception {
        images = RegistryWithImage.start("berth-push-race-work", "acme/race:1");
        var root = Api.at(port).bearer(Api.at(port).tokenFor("admin", PlatformTest.ADMIN_PASSWORD));
        assertThat(root.post("/api/v1/teams", Map.of("name", TEAM)).status()).isEqualTo(201);
        root.post("/api/v1/users", Map.of("username", USER, "password", TeamPushes.PASSWORD));
        root.post("/api/v1/teams/" + TEAM + "/members", Map.of("username", USER, "role", "DEPLOYER"));
        token = Api.at(port).tokenFor(USER, TeamPushes.PASSWORD);
        invariant = new PushInvariant(root, database(), DIR.resolve("git"));
        second = SecondPlatform.start(settings(), DIR.resolve("second-platform.log"));
    }

    @AfterAll
    void stop() throws Exception {
        if (second != null) second.close();
        if (images != null) {
            images.registry().close();
            TestRegistry.deleteTree(images.work());
        }
        TestRegistry.deleteTree(DIR);
    }

    private String url(int instance, String repository) {
        return "http://" + USER + ":" + token + "@127.0.0.1:" + instance + "/git/" + TEAM + "/" + repository + ".git";
    }

    private String definition(String repository, String release) {
        return "apiVersion: berth/v1\napps:\n  " + repository + ":\n    image: " + images.image() + "\n    env:\n      RELEASE: " + release + "\n";
    }

    /** A working copy at the remote's main with one new commit of {@code release}. */
    private void commitOnMain(GitCli git, Path dir, String remote, String release) throws Exception {
        git.ok(dir, "fetch", "-q", remote, "main");
        git.ok(dir, "reset", "-q", "--hard", "FETCH_HEAD");
        Files.writeString(dir.resolve("berth.yaml"), definition("contested", release));
        git.ok(dir, "add", "berth.yaml");
        git.ok(dir, "commit", "-q", "-m", "release " + release);
    }

    @Test
    void twoInstancesTakeConcurrentPushesToOneRepositoryOneAtATime() throws Exception {
        var root = invariant.root();
        assertThat(root.post("/api/v1/teams/" + TEAM + "/repositories", Map.of("name", "contested")).status()).isEqualTo(201);
        var git = new GitCli(images.work());
        Path a = Files.createDirectories(images.work().resolve("through-a"));
        Path b = Files.createDirectories(images.work().resolve("through-b"));
        git.ok(a, "init", "-q");
        git.ok(b, "init", "-q");
        Files.writeString(a.resolve("berth.yaml"), definition("contested", "first"));
        git.ok(a, "add", "berth.yaml");
        git.ok(a, "commit", "-q", "-m", "first");
        git.ok(a, "push", "-q", url(port, "contested"), "HEAD:refs/heads/main");

        int serverRefusals = 0;
        var winners = new ArrayList<String>();
        for (int round = 0; round < ROUNDS; round++) {
            commitOnMain(git, a, url(port, "contested"), "a" + round);
            commitOnMain(git, b, url(second.port, "contested"), "b" + round);
            List<GitCli.Result> results;
            if (round % 2 == 0) {
                // Free running: whichever git gets there first.
                var throughA = CompletableFuture.supplyAsync(() -> push(git, a, url(port, "contested")), GITS);
                var throughB = CompletableFuture.supplyAsync(() -> push(git, b, url(second.port, "contested")), GITS);
                results = List.of(throughA.join(), throughB.join());
            } else {
                // Both reviews at the repository's lock at once: both gits saw the same main, and
                // both instances wait for the lock (another push holds it) before either may go.
                try (var other = invariant.holdPushLock(TEAM, "contested")) {
                    var throughA = CompletableFuture.supplyAsync(() -> push(git, a, url(port, "contested")), GITS);
                    var throughB = CompletableFuture.supplyAsync(() -> push(git, b, url(second.port, "contested")), GITS);
                    invariant.awaitWaitingForPushLock(TEAM, "contested", 2);
                    other.close();
                    results = List.of(throughA.join(), throughB.join());
                }
            }
            var won = results.stream().filter(r -> r.exit() == 0).toList();
            var lost = results.stream().filter(r -> r.exit() != 0).toList();
            assertThat(won).as("round %d: %s", round, results).hasSize(1);
            assertThat(lost.getFirst().out()).as("round %d", round).contains("fetch first");
            if (lost.getFirst().out().contains("moved since you fetched it")) serverRefusals++;
            else assertThat(round % 2).as("a gated round's loser is refused by the platform: %s", lost).isZero();
            winners.add(results.get(0).exit() == 0 ? "a" : "b");
            invariant.holds(TEAM, "contested");
        }
        assertThat(invariant.revisions(TEAM, "contested")).hasSize(ROUNDS + 1);
        assertThat(invariant.openIntents()).isZero();
        System.out.printf("push race: %d rounds, winners %s, %d losers refused by the platform after the lock, the rest by git itself%n",
                ROUNDS, winners, serverRefusals);
    }

    @Test
    void aPushWhoseRefMovedWhileItWaitedForTheLockIsToldToFetchFirst() throws Exception {
        var root = invariant.root();
        assertThat(root.post("/api/v1/teams/" + TEAM + "/repositories", Map.of("name", "waited")).status()).isEqualTo(201);
        var git = new GitCli(images.work());
        Path dir = Files.createDirectories(images.work().resolve("waiter"));
        git.ok(dir, "init", "-q");
        Files.writeString(dir.resolve("berth.yaml"), definition("waited", "one"));
        git.ok(dir, "add", "berth.yaml");
        git.ok(dir, "commit", "-q", "-m", "one");
        git.ok(dir, "push", "-q", url(port, "waited"), "HEAD:refs/heads/main");
        String one = git.ok(dir, "rev-parse", "HEAD").strip();
        // The other instance's push, already holding the repository's lock: its commit is on the
        // server (a side branch), and it will move main there before letting go.
        git.ok(dir, "commit", "-q", "--allow-empty", "-m", "the other push");
        String other = git.ok(dir, "rev-parse", "HEAD").strip();
        git.ok(dir, "push", "-q", url(port, "waited"), "HEAD:refs/heads/side");
        git.ok(dir, "reset", "-q", "--hard", one);
        Files.writeString(dir.resolve("berth.yaml"), definition("waited", "two"));
        git.ok(dir, "commit", "-q", "-am", "two");

        CompletableFuture<GitCli.Result> waiting;
        try (var lock = invariant.holdPushLock(TEAM, "waited")) {
            waiting = CompletableFuture.supplyAsync(() -> push(git, dir, url(second.port, "waited")), GITS);
            // Once it waits for the lock, the push has advertised main at "one" (a fixed sleep here
            // let a slow machine's git see the moved ref first and refuse the push itself).
            invariant.awaitWaitingForPushLock(TEAM, "waited", 1);
            assertThat(waiting).isNotDone();
            git.ok(invariant.bare(TEAM, "waited"), "update-ref", "refs/heads/main", other, one);
        }
        var refused = waiting.join();
        assertThat(refused.exit()).as(refused.out()).isNotZero();
        // git prints the platform's reason as its own "fetch first" line, after the platform's remote: lines.
        assertThat(refused.out()).contains("moved since you fetched it").contains("(fetch first)");
        assertThat(invariant.revisions(TEAM, "waited")).hasSize(1);
        assertThat(invariant.openIntents()).isZero();
        assertThat(root.get("/api/v1/audit?action=repository.push").body()).contains("fetch first");
    }

    private static GitCli.Result push(GitCli git, Path dir, String url) {
        try {
            return git.run(dir, "push", url, "HEAD:refs/heads/main");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
