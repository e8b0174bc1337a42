package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.BerthApplication;
import dev.berth.platform.MutableClock;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.TestDatabase;
import dev.berth.platform.repositories.GitCli;
import dev.berth.registry.RegistryPrerequisites;
import dev.berth.registry.TestImages;
import dev.berth.registry.TestRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.event.EventListener;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Base for deployment tests: the whole platform on a real port with a database of its own, so the
 * hosts, apps, clock moves and reconcile rounds of other test classes cannot reach these (the
 * shared context's reconciler runs too, on its own database; Spring pauses whichever context is idle). Heartbeats time out after a few seconds, so a host
 * loss takes seconds. Images live in a real loopback registry; revisions come from {@code git push}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = BerthApplication.class)
@Import({PlatformTest.Clocks.class, DeployTest.AppChanges.class})
@dev.berth.platform.OwnSecurityHolder
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DeployTest {
    static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(4);
    /** Far beyond what any awaited change takes; only a broken platform gets here. */
    static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Path DIR = temporaryDirectory();
    private static final AtomicInteger UNIQUE = new AtomicInteger();
    private static TestDatabase.Target database;

    static synchronized TestDatabase.Target database() {
        if (database == null) database = TestDatabase.fresh("deploy");
        return database;
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        var db = database();
        db.register(registry);
        registry.add("berth.admin.password", () -> PlatformTest.ADMIN_PASSWORD);
        registry.add("berth.git.repositories-dir", () -> DIR.resolve("git").toString());
        registry.add("berth.git.secret-key-file", () -> DIR.resolve("secret.key").toString());
        registry.add("berth.audit.key-file", () -> DIR.resolve("audit.key").toString());
        registry.add("berth.git.insecure-registries", () -> "127.0.0.1:*");
        registry.add("berth.network.allowed-private-targets", () -> "127.0.0.0/8");
        registry.add("berth.hosts.heartbeat-timeout", () -> HEARTBEAT_TIMEOUT.toSeconds() + "s");
        // Quartz keeps schedulers by name in one registry per JVM; the shared context has the default name.
        registry.add("spring.quartz.scheduler-name", () -> "berth-deploy-tests");
    }

    /** Every {@link AppChanged} the platform published, as the dashboard would hear it. */
    @TestConfiguration
    static class AppChanges {
        final java.util.Queue<AppChanged> heard = new java.util.concurrent.ConcurrentLinkedQueue<>();

        @EventListener
        void on(AppChanged changed) {
            heard.add(changed);
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    AppChanges appChanges;
    @Autowired
    MutableClock clock;
    @Autowired
    JdbcClient jdbc;

    Api api;
    Api admin;
    String adminToken;
    TestRegistry registry;
    /** An image in the registry, by tag. */
    String image;
    private Path work;
    private final List<SimulatedAgent> agents = new ArrayList<>();

    @BeforeAll
    void startRegistry() throws Exception {
        RegistryPrerequisites.require();
        registry = TestRegistry.start();
        work = Files.createTempDirectory(DIR, "work");
        var built = TestImages.writeLayout(work.resolve("layout"), "1", TestImages.busybox().withCmd("/bin/sh"));
        TestImages.push(built.layout(), "1", registry.host(), "acme/web:1", null);
        image = registry.host() + "/acme/web:1";
        api = Api.at(port);
        adminToken = api.tokenFor("admin", PlatformTest.ADMIN_PASSWORD);
        admin = api.bearer(adminToken);
    }

    @AfterEach
    void stopAgents() {
        agents.forEach(SimulatedAgent::close);
        // A stopped host counts as lost a heartbeat timeout after its last heartbeat, which the next
        // test's onlyTheseHostsAlive used to wait out. Its last heartbeat moved back by a day, it is
        // lost now, as it would be seconds later; the platform handles the loss the same way.
        var stopped = agents.stream().map(a -> a.hostId).toList();
        if (!stopped.isEmpty()) {
            jdbc.sql("UPDATE hosts SET last_heartbeat_at = last_heartbeat_at - interval '1 day' WHERE id IN (:ids)")
                    .param("ids", stopped).update();
        }
        agents.clear();
    }

    @AfterAll
    void stopRegistry() throws IOException {
        if (registry != null) registry.close();
    }

    /** A simulated host that joins now; stopped after the test. */
    SimulatedAgent agent(String name) {
        var sim = SimulatedAgent.join(admin, name + "-" + UNIQUE.incrementAndGet() + ".test");
        agents.add(sim);
        return sim;
    }

    /** A simulated host that joins now with this capacity; stopped after the test. */
    SimulatedAgent agent(String name, long memory, int cpu) {
        var sim = SimulatedAgent.join(admin, name + "-" + UNIQUE.incrementAndGet() + ".test", memory, cpu);
        agents.add(sim);
        return sim;
    }

    /**
     * Waits until no host but {@code mine} is alive, so replicas can only land on them: hosts of
     * earlier tests stop heartbeating when their test ends and count as lost a few seconds later.
     */
    void onlyTheseHostsAlive(SimulatedAgent... mine) {
        var ids = java.util.Arrays.stream(mine).map(a -> a.hostId).toList();
        eventually(() -> {
            var hosts = admin.get("/api/v1/hosts").json();
            var alive = StreamSupport.stream(hosts.spliterator(), false).filter(h -> h.get("alive").asBoolean())
                    .map(h -> h.get("id").asString()).toList();
            assertThat(alive).containsExactlyInAnyOrderElementsOf(ids);
        });
    }

    /** A new team with a hosted repository named {@code deploy}. */
    String team() {
        String team = "d" + UNIQUE.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 1_000_000, 36);
        expect(201, admin.post("/api/v1/teams", Map.of("name", team)));
        expect(201, admin.post("/api/v1/teams/" + team + "/repositories", Map.of("name", "deploy")));
        return team;
    }

    private static final Pattern RECORDED = Pattern.compile("revision (\\d+) recorded");

    /** Commits {@code yaml} as berth.yaml and pushes it to the team's deploy branch; the revision's id. */
    long push(String team, String yaml) throws Exception {
        var git = new GitCli(work);
        Path dir = work.resolve("checkout-" + team);
        if (!Files.exists(dir)) {
            Files.createDirectories(dir);
            git.ok(dir, "init", "-q");
        }
        Files.writeString(dir.resolve("berth.yaml"), yaml);
        git.ok(dir, "add", "berth.yaml");
        git.ok(dir, "commit", "-q", "--allow-empty", "-m", "deploy " + UNIQUE.incrementAndGet());
        String out = git.ok(dir, "push", "http://admin:" + adminToken + "@127.0.0.1:" + port + "/git/" + team + "/deploy.git",
                "HEAD:refs/heads/main");
        var m = RECORDED.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Ends the team's apps: a revision that only defines an app of no replicas. */
    void retire(String team) throws Exception {
        push(team, """
                apiVersion: berth/v1
                apps:
                  idle:
                    image: %s
                    replicas: 0
                """.formatted(image));
    }

    /** An app {@code web} whose replicas publish a port and pass an http check; {@code extra} goes under the app. */
    String web(int replicas, String version, String extra) {
        return """
                apiVersion: berth/v1
                apps:
                  web:
                    image: %s
                    replicas: %d
                    env: {VERSION: %s}
                    ports: [{name: http, port: 8080, publish: true}]
                    health: {http: {port: http, path: /}, interval: 1s, timeout: 500ms}
                %s""".formatted(image, replicas, version, extra.isEmpty() ? "" : "    " + extra + "\n");
    }

    /** Replica rows of the app: id, revision, host, assigned at, stop requested at and why. */
    record History(String id, long revision, String host, Instant created, Instant stopped, String reason) {
    }

    List<History> history(String team, String app) {
        return jdbc.sql("""
                SELECT r.id, r.revision_id, r.host_id, r.created_at, r.stop_requested_at, r.stop_reason
                FROM replicas r JOIN teams t ON t.id = r.team_id WHERE t.name = ? AND r.app = ? ORDER BY r.created_at, r.id""")
                .params(team, app).query((rs, n) -> {
                    Timestamp stopped = rs.getTimestamp(5);
                    return new History(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                            stopped == null ? null : stopped.toInstant(), rs.getString(6));
                }).list();
    }

    static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    /** Waits until the app's newest deployment, of {@code revision}, has succeeded. */
    void succeededAt(String team, String app, long revision) {
        eventually(() -> {
            var detail = app(team, app);
            assertThat(detail.get("revision").asLong()).isEqualTo(revision);
            assertThat(detail.get("deployment").get("state").asString()).as(detail.toString()).isEqualTo("succeeded");
        });
    }

    /** The audit log's events of {@code action}, as the API returns them. */
    String audit(String action) {
        var r = admin.get("/api/v1/audit?action=" + action);
        expect(200, r);
        return r.body();
    }

    JsonNode app(String team, String app) {
        var r = admin.get("/api/v1/teams/" + team + "/apps/" + app);
        expect(200, r);
        return r.json();
    }

    JsonNode deployments(String team, String app) {
        var r = admin.get("/api/v1/teams/" + team + "/apps/" + app + "/deployments");
        expect(200, r);
        return r.json();
    }

    /** The app's newest deployment state, such as {@code in-progress} or {@code succeeded}. */
    String state(String team, String app) {
        return app(team, app).get("deployment").get("state").asString();
    }

    static void expect(int status, Api.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
    }

    /** Retries {@code check} until it passes; fails with its last failure after {@link #PATIENCE}. */
    static void eventually(Runnable check) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) throw e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("berth-deploy-tests");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
