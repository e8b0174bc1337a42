package dev.berth.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.BerthApplication;
import dev.berth.platform.JoinedAgent;
import dev.berth.platform.database.DatabaseConfig;
import dev.berth.platform.database.EmbeddedDataTemplate;
import dev.berth.platform.database.EmbeddedCredentials;
import dev.berth.platform.deployments.AppChanged;
import dev.berth.platform.deployments.AssignmentSignals;
import dev.berth.platform.deployments.Assignments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two platform instances in this JVM on one PostgreSQL, as an operator runs them: A starts the
 * embedded server; B is pointed at it with its JDBC URL, the same audit key (a copy) and the same
 * git directory. Two things are JVM-wide that separate processes would not share: Spring Security's
 * holder of the current caller, which Vaadin replaces when a context starts (so B is handed A's,
 * and both contexts' filters and services meet in one), and Quartz's connection provider per
 * scheduler name (both schedulers use B's pool; harmless while both run, and both stop together).
 */
class TwoInstancesTest {
    private static final String ADMIN_PASSWORD = "two-instances-admin-pw";
    private static final Duration WITHIN = Duration.ofSeconds(1);
    private static Path work;
    private static ConfigurableApplicationContext a;
    private static ConfigurableApplicationContext b;
    private static EmbeddedCredentials credentials;
    private static String url;
    private static final BlockingQueue<RemoteChange> arrivedOnB = new LinkedBlockingQueue<>();
    /** The JVM-wide holder before these instances replaced it: the shared test context's, given back after. */
    private static org.springframework.security.core.context.SecurityContextHolderStrategy holderBefore;

    @BeforeAll
    static void start() throws Exception {
        holderBefore = org.springframework.security.core.context.SecurityContextHolder.getContextHolderStrategy();
        work = Files.createTempDirectory("berth-two-instances-");
        Path data = work.resolve("postgres");
        EmbeddedDataTemplate.copyTo(data);
        a = instance(List.of("--berth.database.embedded.data-dir=" + data, "--berth.audit.key-file=" + work.resolve("a/audit.key")), null);
        int port = a.getBean(DatabaseConfig.EmbeddedServer.class).postgres().getPort();
        url = "jdbc:postgresql://localhost:" + port + "/postgres";
        credentials = EmbeddedCredentials.forDataDir(data);
        Files.createDirectories(work.resolve("b"));
        Files.copy(work.resolve("a/audit.key"), work.resolve("b/audit.key"));
        b = instance(List.of("--berth.database.url=" + url,
                "--berth.database.user=berth_app", "--berth.database.password=" + credentials.app(),
                "--berth.database.migration-user=postgres", "--berth.database.migration-password=" + credentials.superuser(),
                "--berth.audit.key-file=" + work.resolve("b/audit.key")),
                a.getBean(org.springframework.security.core.context.SecurityContextHolderStrategy.class));
        b.addApplicationListener((ApplicationListener<PayloadApplicationEvent<RemoteChange>>) e -> arrivedOnB.add(e.getPayload()));
    }

    private static ConfigurableApplicationContext instance(List<String> own,
                                                           org.springframework.security.core.context.SecurityContextHolderStrategy holder) {
        // Closed at once: a graceful shutdown waits out requests in flight (agents' long polls), which no test here is about.
        var args = new java.util.ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1", "--server.shutdown=immediate",
                "--berth.admin.password=" + ADMIN_PASSWORD, "--berth.admin.password-file=" + work.resolve("admin-pw"),
                "--berth.git.repositories-dir=" + work.resolve("git"),
                // Quartz keeps schedulers and their connection providers by name JVM-wide: a name of their own
                // keeps these two from taking over (and, when they close, breaking) the shared test context's.
                "--spring.quartz.scheduler-name=berth-two-instances"));
        args.addAll(own);
        var builder = new SpringApplicationBuilder(BerthApplication.class);
        if (holder != null) builder.initializers(c -> c.getBeanFactory().registerSingleton("vaadinAwareSecurityContextHolderStrategy", holder));
        return builder.run(args.toArray(String[]::new));
    }

    @AfterAll
    static void stop() throws Exception {
        if (b != null) b.close();
        if (a != null) a.close();
        // Contexts cached for later test classes were started with the holder that was there before.
        org.springframework.security.core.context.SecurityContextHolder.setContextHolderStrategy(holderBefore);
        try (var files = Files.walk(work)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aChangeOnAReachesASubscriberOnBWithinASecond() throws Exception {
        arrivedOnB.clear();
        long sent = System.nanoTime();
        a.publishEvent(new AppChanged("acme", "web-" + sent));

        var arrived = awaitTopic("app:acme/web-" + sent);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
        System.out.println("cluster notice A -> B: " + millis + " ms");
        assertThat(Duration.ofMillis(millis)).isLessThan(WITHIN);
        assertThat(arrived.generationMayHaveMoved()).isFalse();
    }

    @Test
    void aBurstOfChangesOnABecomesAFewNoticesAndBHearsThemAll() throws Exception {
        arrivedOnB.clear();
        var live = a.getBean(dev.berth.platform.ui.LiveUpdates.class);
        double sentBefore = a.getBean(ClusterMeters.class).sent();
        long burst = System.nanoTime();
        // Heartbeats of a thousand hosts, each reported three times, as fast as they come.
        for (int round = 0; round < 3; round++) {
            for (int host = 0; host < 1000; host++) live.changed(new dev.berth.platform.ui.LiveUpdates.Change("host:h-burst" + burst + "-" + host));
        }
        var heard = new java.util.HashSet<String>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (heard.size() < 1000 && System.nanoTime() < deadline) {
            if (arrivedOnB.poll(100, TimeUnit.MILLISECONDS) instanceof RemoteChange.Changes c) {
                c.topics().stream().filter(t -> t.startsWith("host:h-burst" + burst + "-")).forEach(heard::add);
            }
        }
        double notices = a.getBean(ClusterMeters.class).sent() - sentBefore;
        System.out.println("3000 changes of 1000 topics on A: " + (long) notices + " notices");
        assertThat(heard).hasSize(1000);
        // 1000 topics of about 30 bytes fill four or five payloads; a send per change would be 3000.
        assertThat(notices).isLessThanOrEqualTo(12);
    }

    @Test
    void aLongPollOnBAnswersWithinASecondOfAGenerationBumpOnA() throws Exception {
        var api = Api.at(port(a));
        var created = api.basic("admin", ADMIN_PASSWORD).post("/api/v1/tokens", Map.of("name", "two"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String token = created.json().get("token").asString();
        var host = JoinedAgent.join(api, api.bearer(token), "two-instances-host");
        var jdbc = JdbcClient.create(a.getBean(javax.sql.DataSource.class));
        long generation = jdbc.sql("SELECT generation FROM hosts WHERE id = ?").param(host.hostId()).query(Long.class).single();

        var poll = CompletableFuture.supplyAsync(() -> {
            try {
                var answer = b.getBean(Assignments.class).await(host.hostId(), generation, Duration.ofSeconds(30));
                return System.nanoTime() + (answer.isPresent() ? "" : " empty");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // Well inside Assignments.RECHECK, so only the notice can wake the poll this soon.
        Thread.sleep(300);
        assertThat(poll).isNotDone();
        // As a round on A does: the row moves and commits, then the signal.
        jdbc.sql("UPDATE hosts SET generation = generation + 1 WHERE id = ?").param(host.hostId()).update();
        long bumped = System.nanoTime();
        a.getBean(AssignmentSignals.class).changed();

        String answered = poll.get(10, TimeUnit.SECONDS);
        assertThat(answered).doesNotEndWith("empty");
        long millis = TimeUnit.NANOSECONDS.toMillis(Long.parseLong(answered) - bumped);
        System.out.println("long poll on B answered " + millis + " ms after a bump on A");
        assertThat(Duration.ofMillis(millis)).isLessThan(WITHIN);
    }

    @Test
    void afterItsConnectionIsKilledBListensAgainAndRefreshesEverything() throws Exception {
        var meters = b.getBean(ClusterMeters.class);
        double reconnects = meters.reconnects();
        String name = ClusterListener.APPLICATION_NAME + b.getBean(ClusterInstance.class).id();
        try (var c = DriverManager.getConnection(url, "postgres", credentials.superuser()); var st = c.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?")) {
            st.setString(1, name);
            try (var rs = st.executeQuery()) {
                assertThat(rs.next()).as("B's listening connection, named %s", name).isTrue();
                assertThat(rs.getBoolean(1)).isTrue();
            }
        }
        arrivedOnB.clear();

        var everything = arrivedOnB.poll(15, TimeUnit.SECONDS);
        assertThat(everything).as("B tells its views and polls to look again").isInstanceOf(RemoteChange.Everything.class);
        assertThat(meters.reconnects()).isEqualTo(reconnects + 1);

        long sent = System.nanoTime();
        a.publishEvent(new AppChanged("acme", "after-" + sent));
        awaitTopic("app:acme/after-" + sent);
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(WITHIN);
    }

    private static RemoteChange awaitTopic(String topic) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            var change = arrivedOnB.poll(100, TimeUnit.MILLISECONDS);
            if (change instanceof RemoteChange.Changes c && c.topics().contains(topic)) return change;
        }
        throw new AssertionError("B never heard of " + topic);
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }
}
