package dev.berth.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.deployer.Replica.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The pure planner at a company's size: {@code bench.apps} apps of 3 replicas on {@code bench.hosts}
 * hosts (10,000 × 200 by default), beside the same at 100 × 10 and a plain loop over the same data
 * (each replica looked at once, grouped by app and counted: the least any planner must do). Three
 * rounds: converged (every replica healthy, nothing to do: the round every few seconds), a tenth
 * of the apps rolling to a new revision (starts and stops), and a cold start (nothing runs: every
 * replica placed).
 *
 * <p>Run alone: {@code ./mvnw -B -o -pl deployer -am test -Dtest=PlannerScaleBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}; options {@code -Dbench.apps=10000 -Dbench.hosts=200
 * -Dbench.runs=20}.
 */
class PlannerScaleBenchmark {
    private static final int APPS = Integer.getInteger("bench.apps", 10_000);
    private static final int HOSTS = Integer.getInteger("bench.hosts", 200);
    private static final int RUNS = Integer.getInteger("bench.runs", 20);
    private static final int REPLICAS = 3;
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Duration HEARTBEAT = Duration.ofSeconds(30);
    private static final Resources NEED = new Resources(64L << 20, 50);

    /** One generated cluster and the three rounds over it. */
    private record Cluster(List<Desired> desired, List<Replica> running, List<Desired> rolling, List<Host> hosts) {
        static Cluster of(int apps, int hosts) {
            var hostList = new ArrayList<Host>();
            for (int h = 0; h < hosts; h++) {
                hostList.add(new Host("host-%04d".formatted(h), 256L << 30, 128_000, NOW.minusSeconds(3)));
            }
            var desired = new ArrayList<Desired>();
            var rolling = new ArrayList<Desired>();
            var running = new ArrayList<Replica>();
            int next = 0;
            for (int a = 0; a < apps; a++) {
                var d = new Desired("team-" + (a % 100), "app-" + a, 1, REPLICAS, NEED, new Strategy.Rolling(1, 0),
                        Duration.ofMinutes(2));
                desired.add(d);
                rolling.add(a % 10 == 0 ? new Desired(d.team(), d.app(), 2, REPLICAS, NEED, d.strategy(), d.healthTimeout()) : d);
                for (int i = 0; i < REPLICAS; i++) {
                    running.add(new Replica(d.team() + "." + d.app() + ".1." + i, d.name(), 1,
                            hostList.get(next++ % hosts).id(), State.HEALTHY, NOW.minusSeconds(600), NEED));
                }
            }
            return new Cluster(desired, running, rolling, hostList);
        }

        Plan converged() {
            return Planner.plan(desired, running, hosts, NOW, HEARTBEAT);
        }

        Plan rollout() {
            return Planner.plan(rolling, running, hosts, NOW, HEARTBEAT);
        }

        Plan cold() {
            return Planner.plan(desired, List.of(), hosts, NOW, HEARTBEAT);
        }

        /** The baseline: every replica looked at once, healthy ones counted per app, compared with the desired count. */
        int plainLoop() {
            Map<String, int[]> healthy = new HashMap<>();
            for (Replica r : running) {
                if (r.state() == State.HEALTHY) healthy.computeIfAbsent(r.app(), k -> new int[1])[0]++;
            }
            int short_ = 0;
            for (Desired d : desired) {
                int[] n = healthy.get(d.name());
                if (n == null || n[0] < d.replicas()) short_++;
            }
            return short_;
        }
    }

    @Test
    void planAtScale() {
        var small = Cluster.of(100, 10);
        var large = Cluster.of(APPS, HOSTS);

        // Correctness first: a converged cluster plans nothing, a rollout moves one replica per
        // rolling app (surge 1), a cold start places every replica.
        for (var c : List.of(small, large)) {
            assertThat(c.converged().converged()).isTrue();
            int apps = c.desired.size();
            var rollout = c.rollout();
            assertThat(rollout.steps(Step.Start.class)).hasSize((apps + 9) / 10);
            var cold = c.cold();
            assertThat(cold.steps(Step.Start.class)).hasSize(apps * REPLICAS);
            assertThat(cold.steps(Step.Unplaceable.class)).isEmpty();
            assertThat(c.plainLoop()).isZero();
        }

        var rows = new ArrayList<String[]>();
        for (var entry : List.of(Map.entry("100 apps × 10 hosts (baseline)", small),
                Map.entry(APPS + " apps × " + HOSTS + " hosts", large))) {
            var c = entry.getValue();
            String size = entry.getKey() + ", " + c.running.size() + " replicas";
            var ms = time(List.of(c::plainLoop, c::converged, c::rollout, c::cold));
            rows.add(row(size, "plain loop over the replicas", ms[0]));
            rows.add(row(size, "Planner.plan, converged", ms[1]));
            rows.add(row(size, "Planner.plan, 10% of apps rolling", ms[2]));
            rows.add(row(size, "Planner.plan, cold start (every replica placed)", ms[3]));
        }
        System.out.println();
        System.out.printf("Planner.plan, %d runs each after %d warm-up runs (ms); goal: a round of %d apps × %d hosts at most 1000 ms%n",
                RUNS, Math.max(3, RUNS / 4), APPS, HOSTS);
        System.out.println("(the four rounds of a size are timed interleaved, run by run)");
        System.out.println("| size | round | p50 | p95 | max |");
        System.out.println("|---|---|---|---|---|");
        rows.forEach(r -> System.out.println("| " + String.join(" | ", r) + " |"));
        double worst = rows.stream().filter(r -> r[0].startsWith(APPS + " ") && r[1].startsWith("Planner"))
                .mapToDouble(r -> Double.parseDouble(r[3])).max().orElseThrow();
        System.out.printf("goal (planner p95 ≤ 1000 ms at %d × %d, leaving the rest of the round its share): %s (worst p95 %.1f ms)%n",
                APPS, HOSTS, worst <= 1000 ? "met" : "NOT met", worst);
    }

    private static String[] row(String size, String what, double[] ms) {
        return new String[] {size, what, "%.1f".formatted(p(ms, 50)), "%.1f".formatted(p(ms, 95)), "%.1f".formatted(p(ms, 100))};
    }

    /** Times the actions interleaved, run by run, so each sees the same JIT state and machine load. */
    private static double[][] time(List<Supplier<?>> actions) {
        for (int i = 0; i < Math.max(3, RUNS / 4); i++) actions.forEach(Supplier::get);
        double[][] out = new double[actions.size()][RUNS];
        for (int i = 0; i < RUNS; i++) {
            for (int a = 0; a < actions.size(); a++) {
                long start = System.nanoTime();
                actions.get(a).get();
                out[a][i] = (System.nanoTime() - start) / 1e6;
            }
        }
        return out;
    }

    private static double p(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }
}
