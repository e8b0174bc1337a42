package dev.berth.platform.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.BerthApplication;
import dev.berth.platform.JoinedAgent;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The platform on a PostgreSQL this test stops and starts again (same data directory, same port):
 * while it is down, liveness stays 200, readiness turns 503, and the API, git over HTTP and the
 * agents' endpoints answer 503 saying the database is unreachable; once it is back everything
 * answers again without a restart, and what was written before the stop is still there. Also the
 * platform's own metrics, with values that move.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = BerthApplication.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@dev.berth.platform.OwnSecurityHolder
class PlatformOutageTest {
    private static final String ADMIN_PASSWORD = "admin-password-for-outage-tests";
    private static final String DATABASE = "outage";
    private static final String REQUEST_ROLE = "outage_app";
    private static final Duration BACK_WITHIN = Duration.ofSeconds(60);
    private static final Path DATA = temporaryDirectory("berth-outage-pg");
    private static final int PORT = freePort();
    private static EmbeddedPostgres postgres = startPostgres();

    @LocalServerPort
    int port;
    @org.springframework.beans.factory.annotation.Autowired
    com.zaxxer.hikari.HikariDataSource pool;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("berth.database.url", () -> "jdbc:postgresql://localhost:" + PORT + "/" + DATABASE);
        registry.add("berth.database.user", () -> REQUEST_ROLE);
        registry.add("berth.database.password", () -> "pw-" + REQUEST_ROLE);
        registry.add("berth.database.migration-user", () -> "postgres");
        registry.add("berth.database.migration-password", () -> "");
        registry.add("berth.admin.password", () -> ADMIN_PASSWORD);
        registry.add("berth.git.repositories-dir", () -> temporaryDirectory("berth-outage-git").toString());
        registry.add("berth.audit.key-file", () -> temporaryDirectory("berth-outage-audit").resolve("audit.key").toString());
        registry.add("berth.metrics.heartbeat-interval", () -> "1s");
        // Quartz keeps schedulers and their connection providers by name JVM-wide: this context's own.
        registry.add("spring.quartz.scheduler-name", () -> "berth-outage-tests");
    }

    @AfterAll
    static void leavePostgresRunning() {
        // Still running for the context's own shutdown, which the JVM's hook of the library follows.
        if (postgres == null) postgres = startPostgres();
    }

    @Test
    void whileTheDatabaseIsDownThePlatformSaysSoAndRecoversWithoutARestart() throws Exception {
        var api = Api.at(port);
        var admin = api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
        String token = api.tokenFor("admin", ADMIN_PASSWORD);
        expect(201, admin.post("/api/v1/teams", Map.of("name", "before-outage")));
        expect(201, admin.post("/api/v1/teams/before-outage/repositories", Map.of("name", "web")));
        var agent = JoinedAgent.join(api, admin, "outage-host");
        var git = api.basic("admin", token);
        String refs = "/git/before-outage/web.git/info/refs?service=git-upload-pack";
        expect(200, git.get(refs));
        expect(200, api.get("/actuator/health/readiness"));

        postgres.close();
        postgres = null;
        try {
            expect(200, api.get("/actuator/health/liveness"));
            long asked = System.nanoTime();
            expect(503, api.get("/actuator/health/readiness"));
            report("readiness answered 503 in", asked);
            assertThat(api.get("/actuator/health/readiness").body()).doesNotContain("database").doesNotContain("reason");
            expect(503, api.get("/actuator/health"));

            asked = System.nanoTime();
            var teams = admin.get("/api/v1/teams");
            expect(503, teams);
            report("an API call answered 503 in", asked);
            assertThat(teams.contentType()).startsWith("application/problem+json");
            assertThat(teams.json().get("detail").asString()).isEqualTo(DatabaseOutage.SENTENCE);
            assertThat(teams.headers().firstValue("Retry-After")).contains("5");
            assertThat(teams.body()).doesNotContain("Exception").doesNotContain("at dev.berth");

            var push = git.get(refs);
            expect(503, push);
            assertThat(push.contentType()).startsWith("text/plain");
            assertThat(push.body()).isEqualTo(DatabaseOutage.SENTENCE + "\n");

            var beat = agent.api().post("/agent/v1/heartbeat", heartbeat());
            expect(503, beat);
            assertThat(beat.json().get("detail").asString()).isEqualTo(DatabaseOutage.SENTENCE);
            expect(503, agent.api().get("/agent/v1/assignments?after=-1&wait=0"));

            // Minting a token with a password must not say the password is wrong.
            var minted = api.basic("admin", ADMIN_PASSWORD).post("/api/v1/tokens", Map.of("name", "during"));
            expect(503, minted);
            assertThat(minted.json().get("detail").asString()).isEqualTo(DatabaseOutage.SENTENCE);
        } finally {
            if (postgres == null) postgres = startPostgres();
        }

        long started = System.nanoTime();
        awaitStatus(() -> api.get("/actuator/health/readiness"), 200);
        report("ready again after PostgreSQL started in", started);
        expect(200, api.get("/actuator/health/liveness"));
        expect(200, api.get("/actuator/health"));
        var teams = admin.get("/api/v1/teams");
        expect(200, teams);
        assertThat(teams.body()).contains("before-outage");
        expect(204, agent.api().post("/agent/v1/heartbeat", heartbeat()));
        expect(200, git.get(refs));
        expect(201, api.basic("admin", ADMIN_PASSWORD).post("/api/v1/tokens", Map.of("name", "after")));
        // Quartz runs rounds again: the round count keeps moving after the outage.
        double rounds = metric(admin, "berth_reconcile_round_seconds_count");
        awaitTrue(() -> metric(admin, "berth_reconcile_round_seconds_count") > rounds);
        report("a reconcile round ran after PostgreSQL started within", started);
    }

    /**
     * Every connection of the pool held (as a burst of slow requests would): a request then waits
     * the pool's timeout and answers 503 saying the platform is overloaded, not that the database
     * is unreachable, since the database answers; counted in the pool timeouts' metric. Once the
     * connections are free again the same request answers.
     */
    @Test
    void aPoolWithNoConnectionFreeSaysThePlatformIsOverloaded() throws Exception {
        var api = Api.at(port);
        var admin = api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
        var git = api.basic("admin", api.tokenFor("admin", ADMIN_PASSWORD));
        double before = metric(admin, "berth_database_pool_timeouts_total{database=\"answers\"}");
        String overloaded = "the platform is overloaded: no database connection was free within 5 s; try again";
        var held = new java.util.ArrayList<java.sql.Connection>();
        try {
            for (int i = 0; i < pool.getMaximumPoolSize(); i++) held.add(pool.getConnection());
            var teams = admin.get("/api/v1/teams");
            expect(503, teams);
            assertThat(teams.contentType()).startsWith("application/problem+json");
            assertThat(teams.json().get("detail").asString()).isEqualTo(overloaded);
            assertThat(teams.headers().firstValue("Retry-After")).contains("5");
            var refs = git.get("/git/nobody/nothing.git/info/refs?service=git-upload-pack");
            expect(503, refs);
            assertThat(refs.body()).isEqualTo(overloaded + "\n");
        } finally {
            for (var c : held) c.close();
        }
        assertThat(metric(admin, "berth_database_pool_timeouts_total{database=\"answers\"}")).isGreaterThanOrEqualTo(before + 2);
        expect(200, admin.get("/api/v1/teams"));
    }

    /** Measurements for the record, in the test's output. */
    private static void report(String what, long sinceNanos) {
        System.out.println("[outage] " + what + " " + Duration.ofNanos(System.nanoTime() - sinceNanos).toMillis() + " ms");
    }

    @Test
    void thePlatformExportsItsOwnMetrics() throws Exception {
        var api = Api.at(port);
        var admin = api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
        awaitTrue(() -> metric(admin, "berth_reconcile_round_seconds_count") >= 1);

        var agent = JoinedAgent.join(api, admin, "late-host");
        double lateBefore = metric(admin, "berth_hosts_heartbeats_late");
        expect(204, agent.api().post("/agent/v1/heartbeat", heartbeat()));
        // The interval is 1 s here: late after 2 s, lost only after the 90 s timeout.
        awaitTrue(() -> metric(admin, "berth_hosts_heartbeats_late") >= lateBefore + 1);
        expect(204, agent.api().post("/agent/v1/heartbeat", heartbeat()));
        assertThat(metric(admin, "berth_hosts_heartbeats_late")).isEqualTo(lateBefore);

        double failed = metric(admin, "berth_webhooks_failed_total{reason=\"unknown_repository\"}");
        expect(404, api.post("/api/v1/repositories/987654321/webhook", Map.of("ref", "refs/heads/main")));
        assertThat(metric(admin, "berth_webhooks_failed_total{reason=\"unknown_repository\"}")).isEqualTo(failed + 1);

        var poll = CompletableFuture.supplyAsync(() -> agent.api().get("/agent/v1/assignments?after=" + generation(agent) + "&wait=5"));
        awaitTrue(() -> metric(admin, "berth_agent_long_polls") >= 1);
        expect(204, poll.get());

        assertThat(metric(admin, "berth_scheduler_requests_queued{job=\"deployer-reconcile\"}")).isGreaterThanOrEqualTo(0);
        assertThat(metric(admin, "berth_scheduler_requests_queued{job=\"repository-poll\"}")).isGreaterThanOrEqualTo(0);
        assertThat(metric(admin, "berth_acme_orders_pending")).isEqualTo(0);
    }

    private static long generation(JoinedAgent agent) {
        var now = agent.api().get("/agent/v1/assignments?after=-1&wait=0");
        expect(200, now);
        return now.json().get("generation").asLong();
    }

    private static Map<String, Object> heartbeat() {
        return Map.of("version", 1, "capacity", Map.of("memoryBytes", 1L << 30, "cpuMillis", 1000));
    }

    /** The value of one series (name with its labels, as Prometheus writes them) from the scrape. */
    private static double metric(Api admin, String series) {
        var scrape = admin.get("/actuator/prometheus");
        expect(200, scrape);
        for (String line : scrape.body().split("\n")) {
            if (line.startsWith(series + " ")) return Double.parseDouble(line.substring(series.length() + 1).trim());
            if (!series.contains("{") && line.startsWith(series + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
            }
        }
        throw new AssertionError("no series " + series + " in the scrape:\n" + scrape.body());
    }

    private static void awaitStatus(Supplier<Api.Response> call, int status) throws InterruptedException {
        awaitTrue(() -> call.get().status() == status);
        expect(status, call.get());
    }

    private static void awaitTrue(Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + BACK_WITHIN.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + BACK_WITHIN);
            Thread.sleep(200);
        }
    }

    private static void expect(int status, Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
    }

    /** Starts PostgreSQL on the fixed directory and port; the first start also makes the database and its request role. */
    private static EmbeddedPostgres startPostgres() {
        try {
            boolean fresh = !Files.exists(DATA.resolve("postgresql.conf"));
            var pg = EmbeddedPostgres.builder().setDataDirectory(DATA).setCleanDataDirectory(false).setPort(PORT).start();
            if (fresh) {
                try (var c = DriverManager.getConnection("jdbc:postgresql://localhost:" + PORT + "/postgres", "postgres", "");
                     var st = c.createStatement()) {
                    st.execute("CREATE DATABASE " + DATABASE);
                    st.execute("CREATE ROLE " + REQUEST_ROLE + " LOGIN PASSWORD 'pw-" + REQUEST_ROLE + "'");
                }
            }
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start PostgreSQL on " + DATA, e);
        } catch (SQLException e) {
            throw new IllegalStateException("could not prepare the outage test's database", e);
        }
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path temporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
