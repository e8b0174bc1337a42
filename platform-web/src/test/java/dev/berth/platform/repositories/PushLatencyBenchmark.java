package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.gitsync.CommitId;
import dev.berth.gitsync.definition.DefinitionLimits;
import dev.berth.gitsync.definition.DefinitionParser;
import dev.berth.gitsync.definition.ParseResult;
import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import dev.berth.registry.RegistryPrerequisites;
import dev.berth.registry.TestImages;
import dev.berth.registry.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Push-to-revision latency: the wall time of {@code git push} (Debian's git CLI, process start to
 * exit) of a one-commit change to berth.yaml to a hosted repository's deploy branch over HTTP on
 * loopback, which includes Berth reading the definition, validating it, resolving the image
 * against a loopback registry and recording the revision. Beside it, interleaved, the same change
 * pushed (1) to a non-deploy branch of another hosted repository (same HTTP server, token
 * authentication and JGit receive-pack, no review) and (2) to a plain local bare repository
 * (file transport, {@code git-receive-pack} spawned by git). Then the parts of the review timed
 * in-process.
 *
 * <p>Run alone: {@code ./mvnw -o -q -pl platform-web -am test -Dtest=PushLatencyBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}; options {@code -Dbench.runs=60}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushLatencyBenchmark extends PlatformTest {
    private static final int RUNS = Integer.getInteger("bench.runs", 60);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 5);
    private static final String TEAM = "pushbench";
    private static final String USER = "pushbench-deployer";
    private static final String PASSWORD = "a-long-enough-password";

    @LocalServerPort
    int port;
    @Autowired
    ImageResolver images;
    @Autowired
    DefinitionReview review;
    @Autowired
    RepositoryStore store;

    private TestRegistry registry;
    private Path work;
    private String image;
    private String token;

    @BeforeAll
    void setUp() throws Exception {
        RegistryPrerequisites.require();
        registry = TestRegistry.start();
        work = Files.createTempDirectory("berth-push-bench");
        var built = TestImages.writeLayout(work.resolve("layout"), "1", TestImages.busybox().withCmd("/bin/sh"));
        TestImages.push(built.layout(), "1", registry.host(), "acme/web:1", null);
        image = registry.host() + "/acme/web:1";

        Api root = Api.at(port).bearer(Api.at(port).tokenFor("admin", ADMIN_PASSWORD));
        root.post("/api/v1/teams", Map.of("name", TEAM));
        root.post("/api/v1/users", Map.of("username", USER, "password", PASSWORD));
        root.post("/api/v1/teams/" + TEAM + "/members", Map.of("username", USER, "role", "DEPLOYER"));
        token = Api.at(port).tokenFor(USER, PASSWORD);
        for (String name : List.of("gated", "ungated")) {
            var created = root.post("/api/v1/teams/" + TEAM + "/repositories", Map.of("name", name));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
        }
    }

    @AfterAll
    void tearDown() throws Exception {
        if (registry != null) registry.close();
        if (work != null) TestRegistry.deleteTree(work);
    }

    @Test
    void pushToRevision() throws Exception {
        Path dir = Files.createDirectories(work.resolve("checkout"));
        Path bare = work.resolve("plain.git");
        git(work, "init", "-q", "--bare", bare.toString());
        git(dir, "init", "-q");
        // A small repository: berth.yaml, a README and a few files beside it.
        Files.writeString(dir.resolve("README.md"), "# web\n" + "Deployed by Berth.\n".repeat(40));
        for (int i = 0; i < 20; i++) Files.writeString(dir.resolve("config-" + i + ".properties"), ("key." + i + "=value\n").repeat(50));

        var targets = new LinkedHashMap<String, String[]>();
        targets.put("gated", new String[] {url("gated"), "HEAD:refs/heads/main"});
        targets.put("ungated", new String[] {url("ungated"), "HEAD:refs/heads/work"});
        targets.put("plain", new String[] {bare.toString(), "HEAD:refs/heads/main"});
        var times = new LinkedHashMap<String, List<Double>>();
        targets.keySet().forEach(k -> times.put(k, new ArrayList<>()));

        for (int i = 0; i < WARMUP + RUNS; i++) {
            Files.writeString(dir.resolve("berth.yaml"), app(1 + i % 4, "run-" + i));
            git(dir, "add", "-A");
            git(dir, "commit", "-q", "-m", "deploy run " + i);
            var order = new ArrayList<>(targets.keySet());
            java.util.Collections.rotate(order, i);
            for (String target : order) {
                String[] t = targets.get(target);
                long start = System.nanoTime();
                GitCli.Result push = run(dir, "push", t[0], t[1]);
                double ms = (System.nanoTime() - start) / 1e6;
                assertThat(push.exit()).as(target + " run " + i + "\n" + push.out()).isZero();
                if (target.equals("gated")) {
                    assertThat(push.out()).as(push.out()).containsPattern("remote: Berth: revision \\d+ recorded for [0-9a-f]{12}");
                }
                if (i >= WARMUP) times.get(target).add(ms);
            }
        }

        // Where the time goes: the parts of the review, in-process, against the same registry and database.
        String head = git(dir, "rev-parse", "HEAD").out().strip();
        byte[] raw = runBytes(dir, "cat-file", "commit", head);
        byte[] yaml = Files.readAllBytes(dir.resolve("berth.yaml"));
        var row = store.find(TEAM, "gated").orElseThrow();
        var parts = new LinkedHashMap<String, List<Double>>();
        parts.put("ImageResolver.resolve (one image, loopback registry)", timed(() -> {
            try {
                return images.resolve(image);
            } catch (ImageResolver.UnresolvableImage e) {
                throw new IllegalStateException(e);
            }
        }));
        parts.put("DefinitionParser.parse", timed(() -> {
            assertThat(DefinitionParser.parse("berth.yaml", yaml, DefinitionLimits.DEFAULTS)).isInstanceOf(ParseResult.Valid.class);
            return null;
        }));
        parts.put("DefinitionReview.review (keys, signature, parse, owners, resolve)", timed(() -> {
            assertThat(review.review(row, new CommitId(head), raw, Optional.of(yaml))).isInstanceOf(DefinitionReview.Passed.class);
            return null;
        }));
        parts.put("`git ls-remote` of the hosted repository (process, HTTP, token, refs)", timed(() -> {
            try {
                assertThat(run(work, "ls-remote", url("gated"), "refs/heads/main").exit()).isZero();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return null;
        }));
        parts.put("`git ls-remote` of the plain bare repository", timed(() -> {
            try {
                assertThat(run(work, "ls-remote", bare.toString(), "refs/heads/main").exit()).isZero();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return null;
        }));

        var gated = times.get("gated");
        var ungated = times.get("ungated");
        var plain = times.get("plain");
        System.out.println();
        System.out.printf("git push of a one-commit berth.yaml change, %d runs each after %d warm-up runs, interleaved (ms)%n", RUNS, WARMUP);
        System.out.println("| | p50 | p95 | min |");
        System.out.println("|---|---|---|---|");
        System.out.printf("| plain local bare repository, file transport (baseline) | %.1f | %.1f | %.1f |%n", p(plain, 50), p(plain, 95), p(plain, 0));
        System.out.printf("| hosted repository, non-deploy branch (HTTP, no review) | %.1f | %.1f | %.1f |%n", p(ungated, 50), p(ungated, 95), p(ungated, 0));
        System.out.printf("| hosted repository, deploy branch: push to revision | %.1f | %.1f | %.1f |%n", p(gated, 50), p(gated, 95), p(gated, 0));
        System.out.printf("| push to revision minus non-deploy push | %+.1f | %+.1f | |%n", p(gated, 50) - p(ungated, 50), p(gated, 95) - p(ungated, 95));
        System.out.println();
        System.out.printf("Parts, %d calls each after 5 warm-up calls (ms)%n", RUNS);
        System.out.println("| | p50 | p95 |");
        System.out.println("|---|---|---|");
        parts.forEach((k, v) -> System.out.printf("| %s | %.2f | %.2f |%n", k, p(v, 50), p(v, 95)));
        times.forEach((k, v) -> System.out.println("all runs, " + k + ": " + String.join(", ", v.stream().map(x -> String.valueOf(Math.round(x))).toList())));
    }

    private List<Double> timed(Supplier<?> action) {
        for (int i = 0; i < 5; i++) action.get();
        var out = new ArrayList<Double>();
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            action.get();
            out.add((System.nanoTime() - start) / 1e6);
        }
        return out;
    }

    private String url(String repository) {
        return "http://" + USER + ":" + token + "@127.0.0.1:" + port + "/git/" + TEAM + "/" + repository + ".git";
    }

    private String app(int replicas, String release) {
        return """
                apiVersion: berth/v1
                apps:
                  pushbench-web:
                    image: %s
                    replicas: %d
                    env:
                      RELEASE: %s
                """.formatted(image, replicas, release);
    }

    private GitCli.Result git(Path dir, String... args) throws Exception {
        GitCli.Result g = run(dir, args);
        assertThat(g.exit()).as(String.join(" ", args) + "\n" + g.out()).isZero();
        return g;
    }

    private ProcessBuilder builder(Path dir, String... args) {
        return new GitCli(work).builder(dir, args);
    }

    private GitCli.Result run(Path dir, String... args) throws IOException, InterruptedException {
        return new GitCli(work).run(dir, args);
    }

    private byte[] runBytes(Path dir, String... args) throws IOException, InterruptedException {
        var pb = builder(dir, args).redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD);
        var p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private static double p(List<Double> values, int p) {
        return dev.berth.platform.Percentile.of(values, p);
    }
}
