package dev.berth.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-app series exported: apps with live replicas only, at most maxApps of them, the rest counted. */
class ExportedAppsTest {
    private static final Instant AT = Instant.parse("2026-12-06T08:00:00Z");

    private static ReplicaMetricStore.LiveSample sample(String team, String app, String replica, long memory) {
        return new ReplicaMetricStore.LiveSample(team, app,
                new ReplicaSample(replica, AT, 2_000_000_000L, memory, 1000L, 3, 10, 20, 1));
    }

    @Test
    void sumsTheNewestSamplesOfEachAppsLiveReplicasWithinTheBound() {
        var counts = List.of(new ReplicaMetricStore.ReplicaCount("acme", "web", "HEALTHY", 2),
                new ReplicaMetricStore.ReplicaCount("acme", "web", "STARTING", 1),
                new ReplicaMetricStore.ReplicaCount("acme", "api", "HEALTHY", 1),
                new ReplicaMetricStore.ReplicaCount("zeta", "web", "HEALTHY", 1));
        var samples = List.of(sample("acme", "web", "r1", 100), sample("acme", "web", "r2", 50),
                sample("zeta", "web", "r9", 7));
        var exported = ExportedApps.of(counts, samples, 2);

        var web = new ExportedApps.AppKey("acme", "web");
        var api = new ExportedApps.AppKey("acme", "api");
        assertThat(exported.replicas().keySet()).containsExactly(api, web);
        assertThat(exported.replicas().get(web)).isEqualTo(Map.of("starting", 1L, "healthy", 2L, "unhealthy", 0L, "exited", 0L));
        assertThat(exported.usage().get(web)).isEqualTo(new ExportedApps.Usage(4.0, 150, 2000, 6, 20, 40, 2));
        assertThat(exported.usage().get(api)).isEqualTo(ExportedApps.NONE);
        assertThat(exported.dropped()).isEqualTo(1);
        assertThat(ExportedApps.of(counts, samples, 0).replicas()).isEmpty();
    }
}
