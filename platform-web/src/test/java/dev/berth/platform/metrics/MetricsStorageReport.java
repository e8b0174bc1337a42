package dev.berth.platform.metrics;

import dev.berth.platform.Percentile;
import java.util.List;
import java.util.Map;

/** The tables {@link MetricsStorageBenchmark} prints, in Markdown for docs/benchmarks.md. */
final class MetricsStorageReport {
    private MetricsStorageReport() {
    }

    record Sizes(String label, int replicas, Map<Integer, Long> rows, long table, long indexes, long total) {
        long rowCount() {
            return rows.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    record Timed(String label, List<Double> ms) {
    }

    static void printIngest(List<Timed> ingest, int containers, int hosts, int heartbeats) {
        System.out.printf("%nIngest: one heartbeat's samples (%d containers) in its own transaction, committed durably;"
                + " %d hosts × %d heartbeats each, after one warm-up round (ms per heartbeat)%n", containers, hosts, heartbeats);
        System.out.println("| | heartbeats | p50 | p95 | max | rows/s |");
        System.out.println("|---|---|---|---|---|---|");
        for (var t : List.of(ingest.get(1), ingest.get(0), ingest.get(2))) {
            double sum = t.ms().stream().mapToDouble(Double::doubleValue).sum();
            System.out.printf("| %s | %d | %.2f | %.2f | %.2f | %.0f |%n", t.label(), t.ms().size(), p(t.ms(), 50), p(t.ms(), 95),
                    p(t.ms(), 100), t.ms().size() * (double) containers / (sum / 1000));
        }
    }

    static void printSizes(List<Sizes> all, int fleet) {
        System.out.printf("%nStorage: replica_metrics rows and bytes (table = heap incl. TOAST, FSM, VM; indexes = all three;"
                + " MiB by resolution = total × its share of rows; fleet = per replica × %d)%n", fleet);
        System.out.println("| | replicas | raw rows | 1-min rows | 10-min rows | rows per replica | table MiB | indexes MiB | total MiB"
                + " | raw / 1-min / 10-min MiB | KiB per replica | for the fleet, GiB |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (var s : all) {
            long n = s.rowCount();
            String byResolution = String.join(" / ", java.util.stream.Stream.of(10, 60, 600)
                    .map(r -> "%.1f".formatted(s.total() * (double) s.rows().getOrDefault(r, 0L) / Math.max(1, n) / (1 << 20))).toList());
            double perReplica = s.total() / (double) s.replicas();
            System.out.printf("| %s | %d | %d | %d | %d | %.0f | %.1f | %.1f | %.1f | %s | %.0f | %.2f |%n", s.label(), s.replicas(),
                    s.rows().getOrDefault(10, 0L), s.rows().getOrDefault(60, 0L), s.rows().getOrDefault(600, 0L), n / (double) s.replicas(),
                    s.table() / 1048576.0, s.indexes() / 1048576.0, s.total() / 1048576.0, byResolution, perReplica / 1024,
                    perReplica * fleet / (1L << 30));
        }
    }

    static void printTimes(String title, List<Timed> times) {
        System.out.printf("%n%s%n| | runs | p50 | p95 | max |%n|---|---|---|---|---|%n", title);
        for (var t : times) {
            System.out.printf("| %s | %d | %.1f | %.1f | %.1f |%n", t.label(), t.ms().size(), p(t.ms(), 50), p(t.ms(), 95), p(t.ms(), 100));
        }
    }

    static void printReads(List<Timed> small, List<Timed> fleet, int simReplicas, int replicas, String app, int reads) {
        System.out.printf("%nReads: GET …/apps/%s/metrics of one app of 10 replicas (AppMetricsService.read; store = its count and"
                + " samples statements alone), %d reads after 3 warm-up reads (ms)%n", app, reads);
        System.out.printf("| window | resolution | points | rows read | %d replicas' week: service p50 | p95 | whole fleet's week (%d replicas):"
                + " service p50 | p95 | store p50 | store p95 |%n", simReplicas, replicas);
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (int i = 0; i < fleet.size(); i += 2) {
            System.out.printf("| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n", fleet.get(i).label(), p(small.get(i).ms(), 50),
                    p(small.get(i).ms(), 95), p(fleet.get(i).ms(), 50), p(fleet.get(i).ms(), 95), p(fleet.get(i + 1).ms(), 50),
                    p(fleet.get(i + 1).ms(), 95));
        }
    }

    private static double p(List<Double> values, int p) {
        return Percentile.of(values, p);
    }
}
