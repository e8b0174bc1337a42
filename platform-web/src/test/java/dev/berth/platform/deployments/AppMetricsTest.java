package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.berth.agent.protocol.ContainerMetrics;
import dev.berth.platform.metrics.AppMeters;
import dev.berth.platform.metrics.MetricsMaintenance;
import dev.berth.platform.metrics.Resolution;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Resource samples from heartbeats reach {@code GET .../metrics} per replica and summed, and the
 * per-app Prometheus series; bad samples are dropped without refusing the heartbeat; the roll-up
 * job turns raw samples into minute and ten-minute buckets and prunes each past its window.
 */
class AppMetricsTest extends DeployTest {
    private static final long MIB = 1L << 20;
    @Autowired
    AppMeters meters;
    @Autowired
    MetricsMaintenance maintenance;

    @Test
    void samplesReachTheApiPrometheusAndTheRollUps() throws Exception {
        var a = agent("a");
        onlyTheseHostsAlive(a);
        String team = team();
        push(team, """
                apiVersion: berth/v1
                apps:
                  web:
                    image: %s
                    replicas: 2
                """.formatted(image));
        eventually(() -> assertThat(state(team, "web")).isEqualTo("succeeded"));
        String agentApp = AgentNames.app(team, "web");
        String path = "/api/v1/teams/" + team + "/apps/web/metrics?step=10";

        a.sample(agentApp, new ContainerMetrics(2_000_000_000L, 50 * MIB, 256 * MIB, 5, 1000, 2000));
        eventually(() -> assertThat(values(metrics(path).get("total").get("memoryBytes"))).contains(100.0 * MIB));
        var first = metrics(path);
        assertThat(first.get("step").asLong()).isEqualTo(10);
        assertThat(first.get("resolution").asLong()).isEqualTo(10);
        assertThat(first.get("timestamps").size()).isEqualTo(first.get("total").get("cpuCores").size());
        var replicaIds = history(team, "web").stream().map(History::id).toList();
        assertThat(list(first.get("replicas")).stream().map(r -> r.get("replica").asString()).toList())
                .containsExactlyInAnyOrderElementsOf(replicaIds);
        for (var r : list(first.get("replicas"))) {
            assertThat(values(r.get("series").get("memoryLimitBytes"))).contains(256.0 * MIB);
            assertThat(values(r.get("series").get("pids"))).contains(5.0);
        }

        // Two more seconds of CPU each, and the bytes grow: rates over the 10 s between slots. Changed
        // once a later slot holds the first values too (a slot keeps its last heartbeat's sample).
        eventually(() -> assertThat(jdbc.sql("SELECT count(DISTINCT m.at) FROM replica_metrics m JOIN teams t ON t.id = m.team_id"
                + " WHERE t.name = ? AND m.resolution_seconds = 10").param(team).query(Long.class).single())
                .isGreaterThanOrEqualTo(2));
        a.sample(agentApp, new ContainerMetrics(4_000_000_000L, 50 * MIB, 256 * MIB, 5, 11_000, 22_000));
        eventually(() -> assertThat(values(metrics(path).get("total").get("cpuCores")))
                .anySatisfy(v -> assertThat(v).isCloseTo(0.4, within(1e-9))));
        assertThat(values(metrics(path).get("total").get("rxBytesPerSecond"))).anySatisfy(v -> assertThat(v).isEqualTo(2000.0));

        meters.refresh();
        String labels = "{app=\"web\",team=\"" + team + "\"}";
        var scrape = admin.get("/actuator/prometheus").body();
        assertThat(sample(scrape, "berth_container_memory_bytes" + labels)).isEqualTo(100.0 * MIB);
        assertThat(sample(scrape, "berth_container_memory_limit_bytes" + labels)).isEqualTo(512.0 * MIB);
        assertThat(sample(scrape, "berth_container_cpu_seconds_total" + labels)).isEqualTo(8.0);
        assertThat(sample(scrape, "berth_container_network_receive_bytes_total" + labels)).isEqualTo(22_000.0);
        double replicas = 0;
        for (String state : List.of("starting", "healthy", "unhealthy", "exited")) {
            replicas += sample(scrape, "berth_app_replicas{app=\"web\",state=\"" + state + "\",team=\"" + team + "\"}");
        }
        assertThat(replicas).isEqualTo(2.0);

        // A sample out of range is dropped and counted; the heartbeat itself still counts.
        double refusedBefore = sample(scrape, "berth_app_metrics_samples_refused_total");
        a.sample(agentApp, new ContainerMetrics(-1, 50 * MIB, 256 * MIB, 5, 11_000, 22_000));
        int beats = a.heartbeats() + 3;
        eventually(() -> assertThat(a.heartbeats()).isGreaterThanOrEqualTo(beats));
        assertThat(a.failure()).isNull();
        assertThat(sample(admin.get("/actuator/prometheus").body(), "berth_app_metrics_samples_refused_total"))
                .isGreaterThan(refusedBefore);
        assertThat(jdbc.sql("SELECT count(*) FROM replica_metrics WHERE cpu_nanos < 0").query(Long.class).single()).isZero();

        rollUpsAndPruning(team);
        retire(team);
        // Once the app has no live replica, its series are gone.
        eventually(() -> {
            meters.refresh();
            assertThat(admin.get("/actuator/prometheus").body()).doesNotContain("team=\"" + team + "\"");
        });
    }

    /** Synthetic rows of a replica of the app: rolled up and queried at a minute; old rows pruned. */
    private void rollUpsAndPruning(String team) {
        long teamId = jdbc.sql("SELECT id FROM teams WHERE name = ?").param(team).query(Long.class).single();
        Instant now = clock.instant();
        Instant m0 = Resolution.MINUTE.bucketOf(now).minus(Duration.ofMinutes(20));
        for (int i = 0; i < 12; i++) insert(teamId, "synthetic-1", 10, m0.plusSeconds(10L * i), i);
        insert(teamId, "synthetic-1", 10, now.minus(Duration.ofHours(2)), 0);
        insert(teamId, "synthetic-1", 60, now.minus(Duration.ofDays(2)), 0);
        insert(teamId, "synthetic-1", 600, now.minus(Duration.ofDays(8)), 0);
        // From the start of each window, as on a fresh platform (the job may have run in this context already).
        jdbc.sql("DELETE FROM replica_metric_rollups").update();

        maintenance.maintain();

        assertThat(rows("synthetic-1", 60)).containsExactly(
                m0 + " cpu=5000000000 memory=105", m0.plusSeconds(60) + " cpu=11000000000 memory=111");
        assertThat(rows("synthetic-1", 600)).last().isEqualTo(Resolution.TEN_MINUTES.bucketOf(m0.plusSeconds(60))
                + " cpu=11000000000 memory=111");
        assertThat(rows("synthetic-1", 10)).hasSize(12).allSatisfy(r -> assertThat(r).doesNotStartWith(
                Resolution.RAW.bucketOf(now.minus(Duration.ofHours(2))).toString()));

        var byMinute = metrics("/api/v1/teams/" + team + "/apps/web/metrics?from=" + m0 + "&to=" + m0.plusSeconds(120) + "&step=60");
        assertThat(byMinute.get("resolution").asLong()).isEqualTo(60);
        var synthetic = list(byMinute.get("replicas")).stream().filter(r -> r.get("replica").asString().equals("synthetic-1"))
                .findFirst().orElseThrow().get("series");
        assertThat(synthetic.get("cpuCores").get(0).isNull()).isTrue();
        assertThat(synthetic.get("cpuCores").get(1).asDouble()).isCloseTo(0.1, within(1e-9));
        assertThat(values(synthetic.get("memoryBytes"))).containsExactly(105.0, 111.0);

        expect(400, admin.get("/api/v1/teams/" + team + "/apps/web/metrics?step=5"));
        assertThat(admin.get("/api/v1/teams/" + team + "/apps/web/metrics?step=5").json().get("detail").asString())
                .isEqualTo("step must be a multiple of 10 seconds, at least 10, not 5");
        expect(404, admin.get("/api/v1/teams/" + team + "/apps/nope/metrics"));
    }

    private void insert(long teamId, String replica, int resolution, Instant at, int i) {
        jdbc.sql("""
                INSERT INTO replica_metrics (replica_id, resolution_seconds, at, team_id, app, cpu_nanos, memory_bytes,
                                             memory_limit_bytes, pids, rx_bytes, tx_bytes, restarts)
                VALUES (?, ?, ?, ?, 'web', ?, ?, 1000, 1, ?, ?, 0)""")
                .params(replica, resolution, Timestamp.from(at), teamId, i * 1_000_000_000L, 100 + i, i * 100L, i * 200L)
                .update();
    }

    private List<String> rows(String replica, int resolution) {
        return jdbc.sql("SELECT at, cpu_nanos, memory_bytes FROM replica_metrics WHERE replica_id = ? AND resolution_seconds = ? ORDER BY at")
                .params(replica, resolution)
                .query((rs, n) -> rs.getTimestamp(1).toInstant() + " cpu=" + rs.getLong(2) + " memory=" + rs.getLong(3)).list();
    }

    private JsonNode metrics(String path) {
        var r = admin.get(path);
        expect(200, r);
        return r.json();
    }

    /** The non-null numbers of a series. */
    private static List<Double> values(JsonNode series) {
        return list(series).stream().filter(v -> !v.isNull()).map(JsonNode::asDouble).toList();
    }

    /** The value of one series in a Prometheus scrape; fails when it is not there. */
    private static double sample(String scrape, String series) {
        return Arrays.stream(scrape.split("\n")).filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).strip().split(" ")[0]))
                .orElseThrow(() -> new AssertionError(series + " is not in the scrape"));
    }
}
