package dev.berth.platform.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.berth.platform.database.DatabaseConfig;
import dev.berth.platform.database.DatabaseProperties;
import dev.berth.platform.database.EmbeddedDataTemplate;
import dev.berth.platform.database.DatabaseRoles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.quartz.autoconfigure.JobStoreType;
import org.springframework.boot.quartz.autoconfigure.QuartzJdbcProperties;
import org.springframework.boot.quartz.autoconfigure.QuartzProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.scheduling.quartz.SchedulerFactoryBean;

/**
 * Quartz as the platform configures it (spring.quartz in application.yml) on the JDBC store of
 * V8, run by the request role of a real embedded PostgreSQL: two schedulers with different instance
 * ids form one cluster, never run a {@code @DisallowConcurrentExecution} job twice at once (also
 * while one starts and replaces the stored trigger), and when one stops the other carries on. A
 * later start over the stored jobs replaces them.
 */
class ClusteredSchedulerTest {
    /** Each run of the exclusive job, by the scheduler instance that ran it, in nanoTime. */
    record Run(String instance, String trigger, long startedNanos, long endedNanos) {
    }

    private static final Queue<Run> RUNS = new ConcurrentLinkedQueue<>();
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** How long each run of the exclusive job takes. */
    private static volatile long runMillis;

    @DisallowConcurrentExecution
    public static class ExclusiveJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            long started = System.nanoTime();
            try {
                Thread.sleep(runMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                RUNS.add(new Run(context.getScheduler().getSchedulerInstanceId(), context.getTrigger().getKey().getName(),
                        started, System.nanoTime()));
            } catch (SchedulerException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @TempDir
    Path dir;

    private DatabaseConfig.EmbeddedServer server;
    private HikariDataSource appPool;
    private JdbcClient jdbc;
    private QuartzProperties platform;
    private final List<SchedulerFactoryBean> nodes = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        RUNS.clear();
        var config = new DatabaseConfig();
        EmbeddedDataTemplate.copyTo(dir.resolve("pg"));
        var props = new DatabaseProperties(null, null, null, null, null, new DatabaseProperties.Embedded(dir.resolve("pg"), 0));
        server = config.embeddedServer(props);
        DatabaseRoles roles = config.databaseRoles(props, server);
        var flyway = new FluentConfiguration().locations("classpath:db/migration");
        config.migrateAsOwner(roles).customize(flyway);
        new Flyway(flyway).migrate();
        appPool = config.dataSource(roles);
        jdbc = JdbcClient.create(appPool);
        platform = platformQuartz();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (var node : nodes) node.destroy();
        if (appPool != null) appPool.close();
        if (server != null) server.close();
    }

    /** The platform's application.yml, to bind as Boot does. */
    private static Binder applicationYml() throws IOException {
        var sources = new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"));
        return new Binder(ConfigurationPropertySources.from(sources));
    }

    private static QuartzProperties platformQuartz() throws IOException {
        return applicationYml().bind("spring.quartz", QuartzProperties.class)
                .orElseThrow(() -> new AssertionError("application.yml has no spring.quartz"));
    }

    /**
     * A scheduler as Boot's QuartzAutoConfiguration builds the platform's, on the request role's pool.
     * The name differs from the platform's own ("berth") only because Quartz keeps connection
     * providers per scheduler name in a JVM-wide registry, which the platform tests' context shares.
     */
    private SchedulerFactoryBean start(String instanceId, JobDetail job, Trigger trigger) throws Exception {
        var properties = new Properties();
        properties.putAll(platform.getProperties());
        properties.put("org.quartz.scheduler.instanceId", instanceId);
        var node = new SchedulerFactoryBean();
        node.setSchedulerName(platform.getSchedulerName() + "-cluster-test");
        node.setQuartzProperties(properties);
        node.setOverwriteExistingJobs(platform.isOverwriteExistingJobs());
        node.setWaitForJobsToCompleteOnShutdown(platform.isWaitForJobsToCompleteOnShutdown());
        node.setDataSource(appPool);
        node.setTransactionManager(new DataSourceTransactionManager(appPool));
        node.setJobDetails(job);
        node.setTriggers(trigger);
        node.afterPropertiesSet();
        node.start();
        nodes.add(node);
        return node;
    }

    private static JobDetail exclusiveJob() {
        return JobBuilder.newJob(ExclusiveJob.class).withIdentity("exclusive").storeDurably().build();
    }

    private static Trigger once(JobDetail job, String name, Instant at) {
        return TriggerBuilder.newTrigger().forJob(job).withIdentity(name).startAt(Date.from(at)).build();
    }

    private static Trigger every(JobDetail job, String name, long millis) {
        return TriggerBuilder.newTrigger().forJob(job).withIdentity(name)
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(millis).repeatForever()).build();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        var deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("gave up waiting: " + what + "; " + RUNS.size() + " runs: "
                        + RUNS.stream().limit(20).toList());
            }
            Thread.sleep(50);
        }
    }

    private List<String> checkedIn() {
        return jdbc.sql("SELECT instance_name FROM qrtz_scheduler_state ORDER BY instance_name").query(String.class).list();
    }

    /** The instance that has acquired (and not yet fired) this trigger, if any. */
    private Optional<String> acquiredBy(String trigger) {
        return jdbc.sql("SELECT instance_name FROM qrtz_fired_triggers WHERE trigger_name = ? AND state = 'ACQUIRED'")
                .param(trigger).query(String.class).optional();
    }

    private List<String> executingOn() {
        return jdbc.sql("SELECT instance_name FROM qrtz_fired_triggers WHERE state = 'EXECUTING'").query(String.class).list();
    }

    private static long runsBy(String instance) {
        return RUNS.stream().filter(r -> r.instance().equals(instance)).count();
    }

    private static void assertNoOverlap() {
        var runs = RUNS.stream().sorted(Comparator.comparingLong(Run::startedNanos)).toList();
        for (int i = 1; i < runs.size(); i++) {
            assertThat(runs.get(i).startedNanos()).as("run %d (%s) started before run %d (%s) ended", i, runs.get(i),
                    i - 1, runs.get(i - 1)).isGreaterThan(runs.get(i - 1).endedNanos());
        }
    }

    @Test
    void thePlatformUsesTheClusteredJdbcStoreOnTheMigratedTables() throws IOException {
        assertThat(platform.getJobStoreType()).isEqualTo(JobStoreType.JDBC);
        var schema = applicationYml().bind("spring.quartz.jdbc", QuartzJdbcProperties.class).orElseGet(QuartzJdbcProperties::new);
        assertThat(schema.getInitializeSchema()).as("V8 creates the tables, not Boot").isEqualTo(DatabaseInitializationMode.NEVER);
        assertThat(platform.isOverwriteExistingJobs()).isTrue();
        assertThat(platform.getProperties()).containsEntry("org.quartz.jobStore.isClustered", "true")
                .containsEntry("org.quartz.scheduler.instanceId", "AUTO")
                .containsEntry("org.quartz.jobStore.class", ClusterJobStore.class.getName())
                .containsEntry("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        // The request role owns none of the tables it schedules from.
        assertThat(jdbc.sql("SELECT current_user").query(String.class).single()).isEqualTo(DatabaseRoles.EMBEDDED_APP_ROLE);
        assertThat(jdbc.sql("SELECT DISTINCT tableowner FROM pg_tables WHERE tablename LIKE 'qrtz\\_%'").query(String.class).list())
                .containsExactly("postgres");
    }

    /**
     * The race itself: node-a runs the job for a second from T; node-b holds a trigger of the same
     * job due at T + 300 ms and is refused it, but stock Quartz 2.5's release then unblocks the
     * trigger and node-b starts the job mid-run; {@link ClusterJobStore} keeps it blocked.
     */
    @Test
    void anInstanceDoesNotStartAnExclusiveJobAnotherInstanceIsRunning() throws Exception {
        runMillis = 1000;
        var job = exclusiveJob();
        var t = Instant.now().plusSeconds(4);
        start("node-a", job, once(job, "first", t));
        await("node-a acquires the first trigger", () -> acquiredBy("first").equals(Optional.of("node-a")));
        start("node-b", job, once(job, "second", t.plusMillis(300)));
        await("node-b acquires the second trigger", () -> acquiredBy("second").equals(Optional.of("node-b")));
        assertThat(RUNS).as("set up before the first run was due (a slow machine would miss this)").isEmpty();
        assertThat(checkedIn()).contains("node-a", "node-b");
        assertThat(jdbc.sql("SELECT is_nonconcurrent FROM qrtz_job_details WHERE job_name = 'exclusive'")
                .query(Boolean.class).single()).isTrue();

        await("both triggers have run", () -> RUNS.size() == 2);
        assertThat(RUNS.stream().map(Run::trigger)).containsExactlyInAnyOrder("first", "second");
        assertNoOverlap();
    }

    /** A platform instance starting (and replacing the stored trigger) while another runs the job. */
    @Test
    void anInstanceStartingWhileAnotherRunsTheJobDoesNotStartItAgain() throws Exception {
        runMillis = 3000;
        var job = exclusiveJob();
        start("node-a", job, every(job, "tick", 60_000));
        await("node-a runs the job", () -> executingOn().contains("node-a"));
        start("node-b", job, every(job, "tick", 100));
        String state = jdbc.sql("SELECT trigger_state FROM qrtz_triggers WHERE trigger_name = 'tick'").query(String.class).single();
        assertThat(RUNS).as("node-b started while node-a's run lasted (a slow machine would miss this)").isEmpty();
        assertThat(state).as("the replaced trigger waits for the running job").isEqualTo("BLOCKED");
        await("2 runs", () -> RUNS.size() >= 2);
        assertNoOverlap();
    }

    @Test
    void whenOneInstanceStopsTheOtherCarriesOn() throws Exception {
        runMillis = 50;
        var job = exclusiveJob();
        var a = start("node-a", job, every(job, "tick", 200));
        var b = start("node-b", job, every(job, "tick", 200));
        await("both instances check in", () -> checkedIn().containsAll(List.of("node-a", "node-b")));
        await("10 runs", () -> RUNS.size() >= 10);

        // Stop the one that has been running it (the other mostly idles: it acquires only what is free).
        boolean aLeads = runsBy("node-a") >= runsBy("node-b");
        var stopped = aLeads ? a : b;
        String survivor = aLeads ? "node-b" : "node-a";
        stopped.destroy();
        nodes.remove(stopped);
        int before = RUNS.size();
        await(survivor + " runs the job 10 more times", () -> RUNS.size() >= before + 10);
        assertThat(RUNS.stream().skip(before).map(Run::instance)).as("after the other stopped").containsOnly(survivor);
        assertNoOverlap();
    }

    @Test
    void aRestartOverStoredJobsAndTriggersReplacesThem() throws Exception {
        runMillis = 50;
        var job = exclusiveJob();
        var first = start("first-start", job, every(job, "exclusive", Duration.ofHours(1).toMillis()));
        first.destroy();
        nodes.remove(first);
        assertThat(jdbc.sql("SELECT repeat_interval FROM qrtz_simple_triggers WHERE trigger_name = 'exclusive'")
                .query(Long.class).single()).isEqualTo(Duration.ofHours(1).toMillis());

        start("second-start", job, every(job, "exclusive", 100));
        assertThat(jdbc.sql("SELECT repeat_interval FROM qrtz_simple_triggers WHERE trigger_name = 'exclusive'")
                .query(Long.class).single()).isEqualTo(100L);
        await("the replaced trigger fires", () -> runsBy("second-start") >= 3);
        assertNoOverlap();
    }
}
