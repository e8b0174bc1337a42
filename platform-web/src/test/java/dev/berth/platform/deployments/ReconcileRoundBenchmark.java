package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.gitsync.definition.Definition;
import dev.berth.gitsync.definition.DefinitionLimits;
import dev.berth.gitsync.definition.DefinitionParser;
import dev.berth.gitsync.definition.ParseResult;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.hosts.HostProperties;
import dev.berth.platform.hosts.HostRecords;
import dev.berth.platform.hosts.HostStore;
import dev.berth.platform.repositories.DefinitionJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.quartz.Scheduler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One reconcile round ({@link Reconciler#runOnce}: snapshot, decision, writes, effects) at a
 * company's size, on the test PostgreSQL seeded by plain batch inserts: {@code bench.apps} apps
 * (10,000; 10 per repository revision, 100 teams) of 3 healthy replicas on {@code bench.hosts}
 * hosts (200) with fresh heartbeats. Baseline: the same at 100 apps × 10 hosts, seeded first. Two
 * kinds of round: converged (nothing to do, the every-second tick) and a rollout (a tenth of the
 * repositories push a new revision; rounds run, replicas the round started turn healthy between
 * rounds as heartbeats would say, until everything converged again). Every statement the round
 * issues is counted on the round's own connection, by SQL text, to show there are no per-app reads.
 * Quartz stands by meanwhile, so the platform's own ticks do not take the rounds.
 *
 * <p>Run alone: {@code ./mvnw -B -o -pl platform-web -am test -Dtest=ReconcileRoundBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}; options {@code -Dbench.apps=10000 -Dbench.hosts=200
 * -Dbench.runs=10 -Dbench.rollouts=2}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconcileRoundBenchmark extends PlatformTest {
    private static final int APPS = Integer.getInteger("bench.apps", 10_000);
    private static final int HOSTS = Integer.getInteger("bench.hosts", 200);
    private static final int RUNS = Integer.getInteger("bench.runs", 10);
    private static final int ROLLOUTS = Integer.getInteger("bench.rollouts", 2);
    private static final int APPS_PER_REPOSITORY = 10;
    private static final int TEAMS = 100;
    private static final int REPLICAS = 3;

    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcClient plain;
    @Autowired
    HostProperties hostProperties;
    @Autowired
    EffectsFactory effects;
    @Autowired
    Clock clock;
    @Autowired
    Scheduler scheduler;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    private CountingDataSource counting;
    private Reconciler reconciler;
    private RoundSnapshotLoader loader;
    private RoundApplier applier;
    private JdbcClient counted;
    private TransactionTemplate tx;
    private int seededApps;
    private int seededHosts;
    private final List<long[]> repositories = new ArrayList<>();

    /** One size's numbers. */
    private record Measured(String size, double[] converged, double[] load, double[] decide, double[] rollout, double firstRolloutRound, int rolloutRounds,
                            long convergedStatements, long rolloutStatements, String mostRepeated, List<Phased> slowest, long triggered,
                            double triggeredMean) {
    }

    /** The phases of a round, in ms: the lock, the snapshot, the decision, the writes, the commit, the effects after it. */
    private record Phased(dev.berth.deployer.Plan plan, double lock, double load, double decide, double apply, double commit,
                          double effects, long statements) {
        double total() {
            return lock + load + decide + apply + commit + effects;
        }
    }

    @Test
    void roundAtScale() throws Exception {
        counting = new CountingDataSource(dataSource);
        var jdbc = JdbcClient.create(counting.proxy());
        counted = jdbc;
        tx = new TransactionTemplate(new DataSourceTransactionManager(counting.proxy()));
        var replicas = new ReplicaStore(jdbc);
        var deployments = new DeploymentStore(jdbc);
        var revisions = new AppRevisions(jdbc);
        var notifications = new dev.berth.platform.notifications.NotificationOutbox(jdbc, clock);
        loader = new RoundSnapshotLoader(jdbc, replicas, deployments, revisions, hostProperties);
        applier = new RoundApplier(new HostRecords(new HostStore(jdbc), null), replicas, deployments,
                new DeploymentLifecycle(deployments, revisions, replicas, notifications), notifications);
        reconciler = new Reconciler(jdbc, tx, clock, loader, applier, effects);

        scheduler.standby();
        try {
            var small = measure(100, 10);
            var large = measure(APPS, HOSTS);
            print(List.of(small, large));
        } finally {
            scheduler.start();
        }
    }

    private Measured measure(int apps, int hosts) throws Exception {
        seed(apps, hosts);
        String size = apps + " apps × " + hosts + " hosts, " + apps * REPLICAS + " replicas";
        // Warm-up rounds, then converged rounds.
        for (int i = 0; i < 3; i++) assertThat(ours(round().plan())).isEmpty();
        counting.drain();
        double[] converged = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            var ran = round();
            converged[i] = (System.nanoTime() - start) / 1e6;
            assertThat(ours(ran.plan())).isEmpty();
        }
        long convergedStatements = counting.drain().values().stream().mapToLong(Long::longValue).sum() / RUNS;
        // The parts of a converged round: the snapshot's reads, and the pure decision.
        double[] load = new double[RUNS];
        double[] decide = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            int run = i;
            tx.executeWithoutResult(status -> {
                long start = System.nanoTime();
                var snapshot = loader.load();
                long loaded = System.nanoTime();
                RoundDecider.decide(snapshot, clock.instant());
                load[run] = (loaded - start) / 1e6;
                decide[run] = (System.nanoTime() - loaded) / 1e6;
            });
        }
        counting.drain();

        var rolloutTimes = new ArrayList<Double>();
        double first = 0;
        long rolloutStatements = 0;
        var mostRepeated = Map.<String, Long>of();
        var phases = new ArrayList<Phased>();
        // A round that stops replicas asks for the next one (ReconcileTrigger), which runs beside these on a thread of its own.
        var triggerTimer = meters.timer("berth.reconcile.round");
        long triggeredBefore = triggerTimer.count();
        double triggeredMsBefore = triggerTimer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS);
        for (int r = 0; r < ROLLOUTS; r++) {
            int rolled = pushNewRevisions(r);
            boolean firstRound = true;
            for (int round = 0; ; round++) {
                assertThat(round).as("rollout %d converges", r).isLessThan(30);
                var ran = phasedRound();
                var byStatement = counting.drain();
                phases.add(new Phased(null, ran.lock(), ran.load(), ran.decide(), ran.apply(), ran.commit(), ran.effects(),
                        byStatement.values().stream().mapToLong(Long::longValue).sum()));
                rolloutStatements = Math.max(rolloutStatements, byStatement.values().stream().mapToLong(Long::longValue).sum());
                if (firstRound) {
                    assertThat(ran.plan().steps(dev.berth.deployer.Step.Start.class).stream().filter(st -> st.app().startsWith("rbench-")))
                            .hasSizeGreaterThanOrEqualTo(rolled);
                    first = Math.max(first, ran.total());
                    mostRepeated = byStatement;
                    firstRound = false;
                }
                rolloutTimes.add(ran.total());
                if (ours(ran.plan()).isEmpty() && inProgress() == 0) break;
                // The agents' heartbeats: what the round started runs healthy now.
                plain.sql("UPDATE replicas SET observed_state = 'HEALTHY', observed_since = now(), first_reported_at = now()"
                        + " WHERE stop_requested_at IS NULL AND observed_state = 'STARTING'").update();
            }
            // Every app runs its newest revision, 3 replicas, all healthy.
            assertThat(plain.sql("""
                    SELECT count(*) FROM replicas r JOIN (SELECT DISTINCT ON (team_id, app) team_id, app, revision_id FROM deployments
                    ORDER BY team_id, app, id DESC) n ON n.team_id = r.team_id AND n.app = r.app AND n.revision_id = r.revision_id
                    JOIN teams t ON t.id = r.team_id
                    WHERE r.stop_requested_at IS NULL AND r.observed_state = 'HEALTHY' AND t.name LIKE 'rbench-%'""").query(Long.class).single())
                    .isEqualTo((long) seededApps * REPLICAS);
        }
        String repeated = mostRepeated.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(4)
                .map(e -> e.getValue() + "× " + abbreviate(e.getKey())).reduce((a, b) -> a + "; " + b).orElse("");
        var slowest = phases.stream().sorted(java.util.Comparator.comparingDouble(Phased::total).reversed()).limit(3).toList();
        long triggered = triggerTimer.count() - triggeredBefore;
        double triggeredMs = triggerTimer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS) - triggeredMsBefore;
        return new Measured(size, converged, load, decide, rolloutTimes.stream().mapToDouble(Double::doubleValue).toArray(), first,
                rolloutTimes.size(), convergedStatements, rolloutStatements, repeated, slowest, triggered, triggeredMs / Math.max(1, triggered));
    }

    private Reconciler.Ran round() throws InterruptedException {
        freshHeartbeats();
        // The platform's own rounds (the tick, or one a write asked for) may hold the lock a moment.
        for (int attempt = 0; ; attempt++) {
            if (reconciler.runOnce() instanceof Reconciler.Ran ran) return ran;
            assertThat(attempt).as("a round gets the reconciler's lock within 10 s").isLessThan(500);
            Thread.sleep(20);
        }
    }

    /** A round as {@link Reconciler#runOnce} runs it (lock, load, decide, apply; commit; effects), each phase timed. */
    private Phased phasedRound() throws InterruptedException {
        freshHeartbeats();
        for (int attempt = 0; ; attempt++) {
            var fx = effects.open();
            long[] t = {System.nanoTime(), 0, 0, 0, 0, 0, 0};
            var plan = tx.execute(status -> {
                boolean locked = counted.sql("SELECT pg_try_advisory_xact_lock(?, 0)").param(Locks.RECONCILER)
                        .query(Boolean.class).single();
                t[1] = System.nanoTime();
                if (!locked) return null;
                var snapshot = loader.load();
                t[2] = System.nanoTime();
                var decision = RoundDecider.decide(snapshot, clock.instant());
                t[3] = System.nanoTime();
                applier.apply(decision, fx);
                t[4] = System.nanoTime();
                return decision.plan();
            });
            t[5] = System.nanoTime();
            if (plan != null) {
                fx.publish();
                t[6] = System.nanoTime();
                return new Phased(plan, ms(t[0], t[1]), ms(t[1], t[2]), ms(t[2], t[3]), ms(t[3], t[4]), ms(t[4], t[5]), ms(t[5], t[6]), 0);
            }
            assertThat(attempt).as("a round gets the reconciler's lock within 10 s").isLessThan(500);
            Thread.sleep(20);
        }
    }

    private static double ms(long from, long to) {
        return (to - from) / 1e6;
    }

    private long inProgress() {
        return plain.sql("SELECT count(*) FROM deployments d JOIN teams t ON t.id = d.team_id WHERE d.state = 'in-progress'"
                + " AND t.name LIKE 'rbench-%'").query(Long.class).single();
    }

    /** The plan's steps about this benchmark's apps and replicas (other test classes may leave apps in the shared database). */
    private static List<dev.berth.deployer.Step> ours(dev.berth.deployer.Plan plan) {
        return plan.steps().stream().filter(s -> s.toString().contains("rbench-")).toList();
    }

    private void freshHeartbeats() {
        plain.sql("UPDATE hosts SET last_heartbeat_at = ? WHERE id LIKE 'h-rbench%'").param(Timestamp.from(clock.instant())).update();
    }

    /** Grows the seeded cluster to {@code apps} apps on {@code hosts} hosts, every replica healthy. */
    private void seed(int apps, int hosts) throws Exception {
        var now = Timestamp.from(clock.instant());
        var batch = new JdbcTemplate(dataSource);
        for (int h = seededHosts; h < hosts; h++) {
            String id = "h-rbench%06d".formatted(h);
            long token = plain.sql("""
                    INSERT INTO join_tokens (token_hash, created_by, created_at, expires_at)
                    VALUES (?, 'bench', ?, ?) RETURNING id""").params(sha256(id), now, Timestamp.from(now.toInstant().plusSeconds(3600))).query(Long.class).single();
            plain.sql("""
                    INSERT INTO hosts (id, hostname, credential_hash, memory_bytes, cpu_millis, memory_cap_bytes, cpu_cap_millis,
                                       agent_version, registered_at, last_heartbeat_at, joined_with_token)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'bench', ?, ?, ?)""")
                    .params(id, "rbench-" + h, sha256("credential " + id), 1L << 40, 1_000_000, 1L << 40, 1_000_000, now, now, token)
                    .update();
        }
        seededHosts = hosts;
        for (int t = 0; t < TEAMS; t++) {
            plain.sql("INSERT INTO teams (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING").params(team(t), now).update();
        }
        var revisionApps = new ArrayList<Object[]>();
        var deploymentRows = new ArrayList<Object[]>();
        for (int first = seededApps; first < apps; first += APPS_PER_REPOSITORY) {
            int repo = first / APPS_PER_REPOSITORY;
            long teamId = plain.sql("SELECT id FROM teams WHERE name = ?").param(team(repo % TEAMS)).query(Long.class).single();
            long repositoryId = plain.sql("""
                    INSERT INTO repositories (team_id, name, kind, deploy_branch, definition_path, created_at, created_by)
                    VALUES (?, ?, 'HOSTED', 'main', 'berth.yaml', ?, 'admin') RETURNING id""")
                    .params(teamId, "repo-" + repo, now).query(Long.class).single();
            int count = Math.min(APPS_PER_REPOSITORY, apps - first);
            var yaml = new StringBuilder("apiVersion: berth/v1\napps:\n");
            for (int a = first; a < first + count; a++) {
                yaml.append("  app-").append(a).append(":\n    image: busybox:1\n    replicas: ").append(REPLICAS)
                        .append('\n');
            }
            var parsed = DefinitionParser.parse("berth.yaml", yaml.toString().getBytes(StandardCharsets.UTF_8), DefinitionLimits.DEFAULTS);
            if (!(parsed instanceof ParseResult.Valid(Definition definition))) throw new AssertionError(parsed.toString());
            long revision = insertRevision(repositoryId, yaml.toString(), DefinitionJson.write(definition), now);
            repositories.add(new long[] {repositoryId, teamId, revision, first, count});
            for (int a = first; a < first + count; a++) {
                revisionApps.add(new Object[] {revision, teamId, "app-" + a, "busybox:1", "sha256:" + "ab".repeat(32)});
                deploymentRows.add(new Object[] {teamId, "app-" + a, revision, now, now});
            }
            plain.sql("INSERT INTO app_owners (team_id, app, repository_id) SELECT ?, unnest(?::text[]), ?")
                    .params(teamId, java.util.stream.IntStream.range(first, first + count).mapToObj(a -> "app-" + a).toArray(String[]::new),
                            repositoryId).update();
        }
        batch.batchUpdate("INSERT INTO revision_apps (revision_id, team_id, app, image, image_digest) VALUES (?, ?, ?, ?, ?)", revisionApps);
        batch.batchUpdate("""
                INSERT INTO deployments (team_id, app, revision_id, kind, state, created_by, started_at, finished_at, message)
                VALUES (?, ?, ?, 'push', 'succeeded', 'admin', ?, ?, 'seeded')""", deploymentRows);
        var replicaRows = new ArrayList<Object[]>();
        plain.sql("""
                SELECT d.id, d.team_id, t.name AS team, d.app, d.revision_id FROM deployments d JOIN teams t ON t.id = d.team_id
                WHERE t.name LIKE 'rbench-%' AND NOT EXISTS (SELECT 1 FROM replicas r WHERE r.deployment_id = d.id)""")
                .query(rs -> {
                    int app = Integer.parseInt(rs.getString("app").substring(4));
                    for (int i = 0; i < REPLICAS; i++) {
                        String id = rs.getString("team") + "." + rs.getString("app") + "." + rs.getLong("revision_id") + "." + i;
                        replicaRows.add(new Object[] {id, AgentNames.container(id), rs.getLong("team_id"), rs.getString("app"),
                                rs.getLong("revision_id"), rs.getLong("id"), "h-rbench%06d".formatted((app * REPLICAS + i) % hosts), now, now, now});
                    }
                });
        batch.batchUpdate("""
                INSERT INTO replicas (id, container, team_id, app, revision_id, deployment_id, host_id, created_at, observed_state,
                                      observed_since, first_reported_at, serving)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'HEALTHY', ?, ?, true)""", replicaRows);
        seededApps = apps;
        plain.sql("ANALYZE").update();
    }

    private long insertRevision(long repositoryId, String yaml, String json, Timestamp now) {
        return plain.sql("""
                INSERT INTO revisions (repository_id, commit_id, branch, author, committer, subject, pushed_by, signature,
                                       definition_yaml, definition, created_at)
                VALUES (?, ?, 'main', 'Ada', 'Ada', 'bench', 'admin', 'unsigned', ?, ?::jsonb, ?) RETURNING id""")
                .params(repositoryId, "a".repeat(40), yaml, json, now).query(Long.class).single();
    }

    /** A new revision of every tenth repository (a different tenth each time), each app's deployment in progress. */
    private int pushNewRevisions(int round) {
        var now = Timestamp.from(clock.instant());
        var rows = new ArrayList<Object[]>();
        var apps = new ArrayList<Object[]>();
        for (int i = 0; i < repositories.size(); i++) {
            if (i % 10 != round % 10) continue;
            long[] repo = repositories.get(i);
            var old = plain.sql("SELECT definition_yaml, definition::text FROM revisions WHERE id = ?").param(repo[2])
                    .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)}).single();
            long revision = insertRevision(repo[0], old[0], old[1], now);
            repo[2] = revision;
            for (long a = repo[3]; a < repo[3] + repo[4]; a++) {
                apps.add(new Object[] {revision, repo[1], "app-" + a, "busybox:1", "sha256:" + "ab".repeat(32)});
                rows.add(new Object[] {repo[1], "app-" + a, revision, now});
            }
        }
        var batch = new JdbcTemplate(dataSource);
        batch.batchUpdate("INSERT INTO revision_apps (revision_id, team_id, app, image, image_digest) VALUES (?, ?, ?, ?, ?)", apps);
        batch.batchUpdate("""
                INSERT INTO deployments (team_id, app, revision_id, kind, state, created_by, started_at)
                VALUES (?, ?, ?, 'push', 'in-progress', 'admin', ?)""", rows);
        return rows.size();
    }

    private void print(List<Measured> sizes) {
        System.out.println();
        System.out.printf("Reconcile round (Reconciler.runOnce: load, decide, apply, effects), %d converged rounds after 3 warm-up rounds,"
                + " %d rollouts of a tenth of the apps (ms)%n", RUNS, ROLLOUTS);
        System.out.println("| size | converged p50 | converged p95 | of which load p50 | decide p50 | statements per converged round | rollout rounds | rollout round p50 | rollout round p95 | first rollout round (starts) | most statements in a rollout round |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (var m : sizes) {
            System.out.printf("| %s | %.0f | %.0f | %.0f | %.0f | %d | %d | %.0f | %.0f | %.0f | %d |%n", m.size(), p(m.converged(), 50), p(m.converged(), 95),
                    p(m.load(), 50), p(m.decide(), 50), m.convergedStatements(), m.rolloutRounds(), p(m.rollout(), 50), p(m.rollout(), 95), m.firstRolloutRound(),
                    m.rolloutStatements());
        }
        for (var m : sizes) System.out.println("most repeated statements in the first rollout round, " + m.size() + ": " + m.mostRepeated());
        for (var m : sizes) {
            System.out.printf("slowest rollout rounds by phase, %s (ms: lock + load + decide + apply + commit + effects); tries of the platform's"
                    + " own ReconcileTrigger beside them: %d, mean %.0f ms (a try that finds the lock taken does nothing)%n", m.size(), m.triggered(), m.triggeredMean());
            for (var p : m.slowest()) System.out.printf("  %.0f = %.0f + %.0f + %.0f + %.0f + %.0f + %.0f; %d statements%n", p.total(), p.lock(),
                    p.load(), p.decide(), p.apply(), p.commit(), p.effects(), p.statements());
        }
        var large = sizes.getLast();
        double worst = Math.max(p(large.converged(), 95), p(large.rollout(), 95));
        System.out.printf("goal (a round of %d apps × %d hosts at most 1000 ms, p95): %s (converged %.0f ms, rollout %.0f ms)%n", APPS, HOSTS,
                worst <= 1000 ? "met" : "NOT met", p(large.converged(), 95), p(large.rollout(), 95));
    }

    private static String abbreviate(String sql) {
        return sql.length() > 90 ? sql.substring(0, 90) + "…" : sql;
    }

    private static String team(int t) {
        return "rbench-" + t;
    }

    private static byte[] sha256(String text) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    }

    private static double p(double[] values, int p) {
        return dev.berth.platform.Percentile.of(java.util.Arrays.stream(values).boxed().toList(), p);
    }
}
