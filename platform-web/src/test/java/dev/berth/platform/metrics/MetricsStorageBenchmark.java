package dev.berth.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.ContainerMetrics;
import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.metrics.MetricsStorageReport.Timed;
import dev.berth.platform.access.Caller;
import dev.berth.platform.deployments.AppDeployments;
import dev.berth.platform.hosts.HeartbeatRecorded;
import dev.berth.platform.teams.TeamLookup;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What app metrics cost a big fleet, on the test PostgreSQL with the platform's own beans
 * ({@link SampleRecorder}, {@link ReplicaMetricStore}; {@link MetricsMaintenance} and
 * {@link AppMetricsService} built here on a clock the benchmark moves). Prints numbers; asserts only
 * that the work was done. Not part of the test suite (surefire excludes *Benchmark):
 * <pre>./mvnw -B -o -pl platform-web -am test -Dtest=MetricsStorageBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * Options: {@code -Dbench.hosts=200 -Dbench.containers=25 -Dbench.heartbeats=10 -Dbench.simReplicas=100
 * -Dbench.steadyMinutes=10 -Dbench.reads=30 -Dbench.teams=10}.
 *
 * <ol>
 * <li>Ingest: each host's heartbeat of its containers' samples, in a transaction of its own committed
 * durably, through {@link SampleRecorder}, beside plain single-row {@code INSERT}s of the same rows
 * into a copy of the table (same columns, constraints and indexes), host by host in turn.
 * <li>A week through the real roll-ups, at {@code simReplicas} replicas: raw slots written hour by
 * hour at fixed times, the clock moved and {@link MetricsMaintenance#maintain} run after each
 * hour, then per-minute runs as the platform schedules them; rows and bytes per resolution.
 * <li>The whole fleet's week, written directly as the roll-ups leave it; per-minute maintenance runs
 * on it, and one app's reads ({@link AppMetricsService#read}) over 1 h, 24 h and 7 days, beside the
 * same reads on the small week of step 2.
 * </ol>
 */
class MetricsStorageBenchmark extends PlatformTest {
    private static final int HOSTS = Integer.getInteger("bench.hosts", 200);
    private static final int CONTAINERS = Integer.getInteger("bench.containers", 25);
    private static final int HEARTBEATS = Integer.getInteger("bench.heartbeats", 10);
    private static final int SIM_REPLICAS = Integer.getInteger("bench.simReplicas", 100);
    private static final int STEADY_MINUTES = Integer.getInteger("bench.steadyMinutes", 10);
    private static final int READS = Integer.getInteger("bench.reads", 30);
    private static final int TEAMS = Integer.getInteger("bench.teams", 10);
    /** The app read: app-0, 10 replicas, in the first team. */
    private static final String TEAM = MetricsFleet.team(0);
    private static final String APP = MetricsFleet.app(0);

    @Autowired
    JdbcClient jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    SampleRecorder recorder;
    @Autowired
    ReplicaMetricStore store;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    TeamLookup teams;
    @Autowired
    AppDeployments deployments;
    @Autowired
    Scheduler scheduler;

    private final SetClock clock = new SetClock();
    private StatementTimes times;
    private MetricsMaintenance maintenance;
    private AppMetricsService service;

    /** A clock that stands where the benchmark puts it. */
    private static final class SetClock extends Clock {
        private volatile Instant now = Instant.now();

        void set(Instant at) {
            now = at;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }


    @Test
    void storageForAFleet() throws Exception {
        times = new StatementTimes(dataSource);
        // The real maintenance and store, on the context's pool through a proxy that times each statement.
        var timedSource = times.dataSource();
        maintenance = new MetricsMaintenance(new ReplicaMetricStore(JdbcClient.create(timedSource)),
                new TransactionTemplate(new DataSourceTransactionManager(timedSource)), clock);
        service = new AppMetricsService(teams, deployments, store, clock);
        // Quartz's own maintenance job (on the context's clock) stays out of the measurements.
        scheduler.standby();
        try {
            run();
        } finally {
            scheduler.start();
        }
    }

    private void run() throws Exception {
        // The platform's embedded server syncs its writes; the test server may not (fsync is set when it starts).
        System.out.printf("PostgreSQL: %s, synchronous_commit %s (set on for each heartbeat's transaction), fsync %s (from the %s),"
                + " shared_buffers %s%n", show("server_version"), show("synchronous_commit"), show("fsync"),
                jdbc.sql("SELECT source FROM pg_settings WHERE name = 'fsync'").query(String.class).single(), show("shared_buffers"));
        Instant end = Resolution.TEN_MINUTES.bucketOf(Instant.now());
        var fleet = MetricsFleet.seed(jdbc, dataSource, HOSTS, CONTAINERS, TEAMS, end);
        int replicas = fleet.replicas.size();
        superuser("DELETE FROM replica_metrics", "DELETE FROM replica_metric_rollups");

        // 1. Ingest.
        var ingest = ingest(fleet, end.minus(Duration.ofDays(8)));
        superuser("DROP TABLE replica_metrics_plain", "TRUNCATE replica_metrics", "DELETE FROM replica_metric_rollups");

        // 2. A week through the real roll-ups, at a small scale.
        String[] simIds = fleet.firstIds(SIM_REPLICAS);
        Instant start = end.minus(Resolution.HISTORY).minus(Duration.ofHours(1));
        var hourly = new ArrayList<Double>();
        var vacuums = new ArrayList<Double>();
        long simStarted = System.nanoTime();
        for (Instant hour = start; hour.isBefore(end); hour = hour.plus(Duration.ofHours(1))) {
            MetricsFleet.write(jdbc, simIds, Resolution.RAW, hour, hour.plus(Duration.ofHours(1)));
            clock.set(hour.plus(Duration.ofHours(1)));
            hourly.add(timed(maintenance::maintain));
            // Autovacuum's share: at its default scale factor (dead rows over a fifth of the live ones)
            // it visits this table about every 1.3 hours of real time; a compressed week leaves it no time.
            vacuums.add(timed(() -> superuser("VACUUM ANALYZE replica_metrics")));
        }
        String simParts = times.drain();
        var simSteady = steadyMinutes(simIds);
        double simSeconds = (System.nanoTime() - simStarted) / 1e9;
        var simSizes = sizes("simulated week, as the roll-ups left it", simIds.length);
        var simReads = reads();
        superuser("VACUUM FULL replica_metrics");
        var simPacked = sizes("the same after VACUUM FULL", simIds.length);

        // 3. The whole fleet's week.
        superuser("TRUNCATE replica_metrics", "DELETE FROM replica_metric_rollups");
        String[] allIds = fleet.firstIds(replicas);
        long writeStarted = System.nanoTime();
        MetricsFleet.writeWeek(jdbc, allIds, clock.instant());
        double writeSeconds = (System.nanoTime() - writeStarted) / 1e9;
        superuser("VACUUM ANALYZE replica_metrics");
        var fleetSizes = sizes("whole fleet's week, written directly", replicas);
        times.drain();
        var fleetSteady = steadyMinutes(allIds);
        String fleetParts = times.drain();
        // The planner's choice for each prune as ReplicaMetricStore.prune asks it, with the whole fleet's week in the table.
        for (Resolution r : Resolution.values()) {
            var cutoff = Timestamp.from(clock.instant().minus(r.retention()));
            fleetParts += "  plan of the prune of " + r + ": " + String.join(" / ", jdbc.sql(
                    "EXPLAIN DELETE FROM replica_metrics WHERE resolution_seconds = ? AND at >= ? AND at < ?")
                    .params(r.seconds(), store.oldest(r).orElse(cutoff), cutoff).query(String.class).list()) + "\n";
        }
        var fleetReads = reads();
        var export = exportRefresh();
        var loaded = recordOnly(fleet, clock.instant());

        System.out.println();
        System.out.printf("App metrics storage: %d hosts × %d containers = %d replicas; simulated week at %d replicas (%.0f s);"
                + " fleet's week written in %.0f s%n", HOSTS, CONTAINERS, replicas, simIds.length, simSeconds, writeSeconds);
        MetricsStorageReport.printIngest(List.of(ingest.get(0), ingest.get(1), loaded), CONTAINERS, HOSTS, HEARTBEATS);
        MetricsStorageReport.printSizes(List.of(simSizes, simPacked, fleetSizes), replicas);
        MetricsStorageReport.printTimes("Maintenance (MetricsMaintenance.maintain: roll-ups and pruning, one transaction each; ms)",
                List.of(new Timed("simulated week, " + simIds.length + " replicas: hourly runs (an hour of raw slots each)", hourly),
                        new Timed("simulated week, " + simIds.length + " replicas: VACUUM ANALYZE after each hour (autovacuum's work)", vacuums),
                        new Timed("simulated week, " + simIds.length + " replicas: per-minute runs at steady state", simSteady.get(0)),
                        new Timed("whole fleet, " + replicas + " replicas: per-minute runs at steady state", fleetSteady.get(0)),
                        new Timed("reference: the fleet's minute of raw slots, 6 INSERT … SELECT", fleetSteady.get(1))));
        System.out.printf("%nWhere the simulated week's hourly runs spent their time (statements and commits):%n%s", simParts);
        System.out.printf("Where the whole fleet's per-minute runs spent their time:%n%s", fleetParts);
        MetricsStorageReport.printReads(simReads, fleetReads, simIds.length, replicas, APP, READS);
        MetricsStorageReport.printTimes("Prometheus export refresh at full fleet (AppMeters, every 15 s on every instance; ms)", List.of(export));
    }

    /** Both sides, heartbeat by heartbeat in turn; returns the recorder's and the baseline's times. */
    private List<Timed> ingest(MetricsFleet fleet, Instant first) {
        superuser("CREATE TABLE replica_metrics_plain (LIKE replica_metrics INCLUDING ALL)",
                "GRANT ALL ON replica_metrics_plain TO " + database().requestRole().user());
        var recorded = new ArrayList<Double>();
        var plain = new ArrayList<Double>();
        for (int round = -1; round < HEARTBEATS; round++) { // round -1 warms up
            Instant at = first.plusSeconds(10L * (round + 1));
            var m = sample(round + 1);
            for (int h = 0; h < fleet.hosts; h++) {
                var mine = fleet.on(h);
                var event = heartbeat(h, mine, at, m);
                Supplier<Double> viaRecorder = () -> timed(() -> tx.executeWithoutResult(s -> {
                    durable();
                    recorder.onHeartbeat(event);
                }));
                Supplier<Double> viaInserts = () -> timed(() -> tx.executeWithoutResult(s -> {
                    durable();
                    for (var r : mine) {
                        jdbc.sql("""
                                INSERT INTO replica_metrics_plain (replica_id, resolution_seconds, at, team_id, app, cpu_nanos,
                                    memory_bytes, memory_limit_bytes, pids, rx_bytes, tx_bytes, restarts)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                                .params(r.id(), Resolution.RAW.seconds(), Timestamp.from(Resolution.RAW.bucketOf(at)), r.teamId(), r.app(),
                                        m.cpuNanos(), m.memoryBytes(), m.memoryLimitBytes(), m.pids(), m.rxBytes(), m.txBytes(), 0).update();
                    }
                }));
                boolean recorderFirst = (h + round) % 2 == 0;
                double a = recorderFirst ? viaRecorder.get() : viaInserts.get();
                double b = recorderFirst ? viaInserts.get() : viaRecorder.get();
                if (round < 0) continue;
                recorded.add(recorderFirst ? a : b);
                plain.add(recorderFirst ? b : a);
            }
        }
        long expected = (long) (HEARTBEATS + 1) * fleet.replicas.size();
        assertThat(count("SELECT count(*) FROM replica_metrics")).as("rows the recorder stored").isEqualTo(expected);
        assertThat(count("SELECT count(*) FROM replica_metrics_plain")).as("rows the baseline stored").isEqualTo(expected);
        return List.of(new Timed("SampleRecorder (one statement per heartbeat)", recorded),
                new Timed("plain single-row INSERTs (baseline)", plain));
    }

    /** The recorder alone, with the fleet's week in the table: as many heartbeats as {@link #ingest} timed. */
    private Timed recordOnly(MetricsFleet fleet, Instant first) {
        var ms = new ArrayList<Double>();
        for (int round = 0; round < HEARTBEATS; round++) {
            var m = sample(1000 + round);
            for (int h = 0; h < fleet.hosts; h++) {
                var event = heartbeat(h, fleet.on(h), first.plusSeconds(10L * round), m);
                ms.add(timed(() -> tx.executeWithoutResult(s -> {
                    durable();
                    recorder.onHeartbeat(event);
                })));
            }
        }
        return new Timed("SampleRecorder, with the whole fleet's week in the table", ms);
    }

    private static HeartbeatRecorded heartbeat(int h, List<MetricsFleet.Replica> replicas, Instant at, ContainerMetrics m) {
        var containers = replicas.stream().map(r -> new ContainerStatus(r.container(), r.app(), "running", null, false, "healthy",
                0, null, null, null, null, null, m)).toList();
        return new HeartbeatRecorded(MetricsFleet.hostId(h), containers, at);
    }

    /** Per-minute runs as scheduled: the minute's raw slots written, the clock moved on, maintenance timed. */
    private List<List<Double>> steadyMinutes(String[] ids) {
        var runs = new ArrayList<Double>();
        var inserts = new ArrayList<Double>();
        for (int m = 0; m < STEADY_MINUTES; m++) {
            Instant from = clock.instant();
            inserts.add(timed(() -> {
                for (int s = 0; s < 6; s++) {
                    MetricsFleet.write(jdbc, ids, Resolution.RAW, from.plusSeconds(10L * s), from.plusSeconds(10L * s + 10));
                }
            }));
            clock.set(from.plus(Duration.ofMinutes(1)));
            runs.add(timed(maintenance::maintain));
        }
        return List.of(runs, inserts);
    }

    /** The app's reads at each store resolution: the service's, then the store's two statements alone. */
    private List<Timed> reads() {
        var caller = new Caller(0, "bench", true, Map.of(), Optional.empty());
        var out = new ArrayList<Timed>();
        for (var q : List.of(new String[] {"1 h, step 10 s", "PT1H", "10"}, new String[] {"1 h, step 60 s", "PT1H", "60"},
                new String[] {"24 h, step 60 s", "PT24H", "60"}, new String[] {"7 d, step 600 s", "P7D", "600"})) {
            Instant now = clock.instant();
            String from = now.minus(Duration.parse(q[1])).toString();
            var query = MetricsQuery.parse(from, now.toString(), q[2], now);
            var resolution = Resolution.forQuery(query.from(), query.step(), now);
            long teamId = teams.idOf(TEAM);
            Instant readFrom = query.from().minus(resolution.size());
            long rows = store.count(teamId, APP, resolution, readFrom, query.to());
            var full = new ArrayList<Double>();
            var storeOnly = new ArrayList<Double>();
            for (int i = -3; i < READS; i++) {
                var answer = new AppMetrics[1];
                double a = timed(() -> answer[0] = service.read(caller, TEAM, APP, from, now.toString(), q[2]));
                double b = timed(() -> {
                    store.count(teamId, APP, resolution, readFrom, query.to());
                    store.samples(teamId, APP, resolution, readFrom, query.to());
                });
                assertThat(answer[0].replicas()).as("replicas in the answer").hasSize(MetricsFleet.REPLICAS_PER_APP);
                if (i < 0) continue;
                full.add(a);
                storeOnly.add(b);
            }
            String label = q[0] + " | " + resolution.seconds() + " s | " + query.count() + " | " + rows;
            out.add(new Timed(label, full));
            out.add(new Timed(label, storeOnly));
        }
        return out;
    }

    private Timed exportRefresh() {
        var ms = new ArrayList<Double>();
        for (int i = -3; i < READS; i++) {
            double t = timed(() -> {
                store.liveReplicaCounts();
                store.latestOfLiveReplicas(clock.instant().minus(Duration.ofMinutes(1)));
            });
            if (i >= 0) ms.add(t);
        }
        return new Timed("live replica counts + the newest raw sample of each live replica (last minute)", ms);
    }

    private MetricsStorageReport.Sizes sizes(String label, int replicas) {
        var rows = new java.util.TreeMap<Integer, Long>();
        jdbc.sql("SELECT resolution_seconds, count(*) FROM replica_metrics GROUP BY 1")
                .query(rs -> {
                    rows.put(rs.getInt(1), rs.getLong(2));
                });
        long table = count("SELECT pg_table_size('replica_metrics')");
        long indexes = count("SELECT pg_indexes_size('replica_metrics')");
        long total = count("SELECT pg_total_relation_size('replica_metrics')");
        System.out.println(label + ": indexes " + jdbc.sql("""
                SELECT string_agg(indexrelid::regclass || ' ' || pg_size_pretty(pg_relation_size(indexrelid)), ', ')
                FROM pg_index WHERE indrelid = 'replica_metrics'::regclass""").query(String.class).single());
        return new MetricsStorageReport.Sizes(label, replicas, rows, table, indexes, total);
    }


    private static ContainerMetrics sample(int round) {
        return new ContainerMetrics(round * 500_000_000L, 300L << 20, 1L << 30, 12, round * 40_000L, round * 90_000L);
    }

    /** The platform's embedded server commits durably; the test server may not. */
    private void durable() {
        jdbc.sql("SET LOCAL synchronous_commit = on").update();
    }

    private static double timed(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e6;
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    private String show(String setting) {
        return jdbc.sql("SHOW " + setting).query(String.class).single();
    }

    /** Statements the request role may not run (DDL, VACUUM, TRUNCATE), as the database's superuser. */
    private void superuser(String... statements) {
        try (var c = database().connect(); var st = c.createStatement()) {
            for (String sql : statements) st.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
