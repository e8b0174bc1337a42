package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.berth.platform.Api;
import dev.berth.platform.DeployedApps;
import dev.berth.platform.PlatformTest;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Many agents against one platform: {@code bench.agents} (200) protocol-level agents in this JVM
 * ({@link FleetAgent}: a heartbeat every 10 s and after each change, 25 s long polls, as
 * {@code berth-agent} by default), beside a baseline of {@code bench.baseline} (10). For each fleet:
 * at rest for {@code bench.restSeconds} (30), the heartbeat round trip, the database connections
 * in use (the platform's Hikari pool, and PostgreSQL's own sessions of the database), database
 * transactions per second and this JVM's CPU; then {@code bench.changes} (3) changes, each a
 * revision recorded as a push records it, with apps of 10 replicas (berth.yaml's most), one replica
 * per agent in all: from the recording until each agent's long poll returned the replica placed on it (the reconcile trigger, the round, the
 * generation moves and the poll's wake-up). Agents and platform share this JVM, so the CPU column is
 * both; the baseline shows what the agents add.
 *
 * <p>Run alone: {@code ./mvnw -B -o -pl platform-web -am test -Dtest=AgentFleetBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}; options {@code -Dbench.agents=200 -Dbench.baseline=10
 * -Dbench.restSeconds=30 -Dbench.changes=3 -Dbench.heartbeatSeconds=10}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentFleetBenchmark extends PlatformTest {
    private static final int AGENTS = Integer.getInteger("bench.agents", 200);
    private static final int BASELINE = Integer.getInteger("bench.baseline", 10);
    private static final int REST_SECONDS = Integer.getInteger("bench.restSeconds", 30);
    private static final int CHANGES = Integer.getInteger("bench.changes", 3);
    private static final Duration HEARTBEAT = Duration.ofSeconds(Integer.getInteger("bench.heartbeatSeconds", 10));
    private static final int POLL_WAIT = 25;
    private static final String TEAM = "fleet";

    @LocalServerPort
    int port;
    @Autowired
    HikariDataSource pool;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ApplicationContext context;

    private final List<FleetAgent> agents = new ArrayList<>();
    private Api admin;
    private int changes;

    /** One fleet's numbers. */
    private record Measured(int agents, List<Double> heartbeats, int poolActiveMax, int poolTotalMax, long sessionsMax,
                            double transactionsPerSecond, double cpuCores, int threads, List<Double> assignment) {
    }

    @AfterAll
    void stopAgents() {
        agents.forEach(FleetAgent::stop);
        agents.forEach(FleetAgent::close);
    }

    @Test
    void fleetAgainstOnePlatform() throws Exception {
        admin = Api.at(port).bearer(Api.at(port).tokenFor("admin", ADMIN_PASSWORD));
        admin.post("/api/v1/teams", Map.of("name", TEAM));
        var baseline = measure(BASELINE);
        var fleet = measure(AGENTS);
        agents.forEach(a -> assertThat(a.failure).as(a.hostId).isNull());

        System.out.println();
        System.out.printf("Agents against one platform: heartbeat every %d s, %d s long polls; %d s at rest, then %d changes"
                + " (apps of 10 replicas, one replica per agent) (ms)%n", HEARTBEAT.toSeconds(), POLL_WAIT, REST_SECONDS, CHANGES);
        System.out.println("| agents | heartbeats | heartbeat p50 | heartbeat p95 | Hikari active (max) | Hikari open (max) |"
                + " PostgreSQL sessions (max) | DB transactions/s at rest | JVM CPU at rest (cores) | JVM threads |"
                + " assignment p50 | assignment p95 | assignment max |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (var m : List.of(baseline, fleet)) {
            System.out.printf("| %d | %d | %.1f | %.1f | %d | %d | %d | %.1f | %.2f | %d | %.0f | %.0f | %.0f |%n", m.agents(), m.heartbeats().size(),
                    p(m.heartbeats(), 50), p(m.heartbeats(), 95), m.poolActiveMax(), m.poolTotalMax(), m.sessionsMax(),
                    m.transactionsPerSecond(), m.cpuCores(), m.threads(), p(m.assignment(), 50), p(m.assignment(), 95),
                    p(m.assignment(), 100));
        }
    }

    private Measured measure(int size) throws Exception {
        while (agents.size() < size) {
            agents.add(FleetAgent.join(admin, "fleet-" + agents.size(), HEARTBEAT, POLL_WAIT));
        }
        // Settled: every agent polled once, and a heartbeat interval passed.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (agents.stream().anyMatch(a -> a.generation() < 0)) {
            assertThat(System.nanoTime()).as("every agent got its first assignment").isLessThan(deadline);
            Thread.sleep(100);
        }
        Thread.sleep(HEARTBEAT.toMillis());
        agents.forEach(FleetAgent::drainHeartbeats);

        // At rest.
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long xact0 = transactions();
        long t0 = System.nanoTime();
        int activeMax = 0;
        int totalMax = 0;
        long sessionsMax = 0;
        while (System.nanoTime() - t0 < Duration.ofSeconds(REST_SECONDS).toNanos()) {
            var bean = pool.getHikariPoolMXBean();
            activeMax = Math.max(activeMax, bean.getActiveConnections());
            totalMax = Math.max(totalMax, bean.getTotalConnections());
            sessionsMax = Math.max(sessionsMax, jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
                    .query(Long.class).single());
            Thread.sleep(200);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cores = (os.getProcessCpuTime() - cpu0) / 1e9 / seconds;
        // The sampling above is 5 transactions a second of its own.
        double tps = (transactions() - xact0) / seconds;
        var heartbeats = new ArrayList<Double>();
        agents.forEach(a -> heartbeats.addAll(a.drainHeartbeats()));
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();

        // Changes: a new app of one replica per agent, recorded as a push records it.
        var apps = DeployedApps.in(context);
        var assignment = new ArrayList<Double>();
        for (int c = 0; c < CHANGES; c++) {
            String repository = "r" + (++changes);
            assertThat(admin.post("/api/v1/teams/" + TEAM + "/repositories", Map.of("name", repository)).status()).isEqualTo(201);
            // At most 10 replicas an app (berth.yaml's limit): enough apps of 10 for one replica per agent, spread by the planner.
            var names = java.util.stream.IntStream.range(0, (size + 9) / 10).mapToObj(i -> "app" + changes + "x" + i).toArray(String[]::new);
            long start = System.nanoTime();
            apps.record(TEAM, repository, 10, names);
            long end = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (true) {
                var placed = jdbc.sql("SELECT host_id, container FROM replicas r JOIN teams t ON t.id = r.team_id"
                        + " WHERE t.name = ? AND r.app = ANY(?::text[]) AND r.stop_requested_at IS NULL").params(TEAM, names)
                        .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2))).list();
                var seen = new ArrayList<Double>();
                for (var p : placed) {
                    var agent = agents.stream().filter(a -> a.hostId.equals(p.getKey())).findFirst().orElseThrow();
                    Long at = agent.firstSeen(p.getValue());
                    if (at != null) seen.add((at - start) / 1e6);
                }
                if (placed.size() == names.length * 10 && seen.size() == placed.size()) {
                    assignment.addAll(seen);
                    break;
                }
                assertThat(System.nanoTime()).as("%d replicas placed and received", names.length * 10).isLessThan(end);
                Thread.sleep(20);
            }
        }
        return new Measured(size, heartbeats, activeMax, totalMax, sessionsMax, tps, cores, threads, assignment);
    }

    private long transactions() {
        return jdbc.sql("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()")
                .query(Long.class).single();
    }

    private static double p(List<Double> values, int p) {
        return dev.berth.platform.Percentile.of(values, p);
    }
}
