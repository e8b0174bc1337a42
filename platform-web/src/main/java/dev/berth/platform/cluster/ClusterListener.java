package dev.berth.platform.cluster;

import dev.berth.backoff.Backoff;
import dev.berth.platform.database.DatabaseRoles;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Receives the other instances' notices on one dedicated connection that {@code LISTEN}s on
 * {@link ClusterNotices#CHANNEL}, and publishes each as a {@link RemoteChange}; this instance's
 * own notices are ignored.
 *
 * <p>The connection is opened beside the Hikari pool (same URL and request role), not taken from
 * it: it is held for the instance's whole life, which would shrink the pool for good and defeat the
 * pool's lifetime rotation, and a {@code LISTEN} belongs to its session, which must never be handed
 * to another borrower. It waits with {@link PGConnection#getNotifications(int)}; after a quiet spell
 * it runs a query so a connection that died silently is noticed. When the connection fails (the
 * database restarted, the backend was terminated) it is opened again with backoff, and then
 * {@link RemoteChange.Everything} is published, because notices sent meanwhile were lost.
 */
@Component
public class ClusterListener implements SmartLifecycle {
    /** What {@code pg_stat_activity.application_name} shows for the listening connection, before the instance id. */
    public static final String APPLICATION_NAME = "berth-cluster-listener ";
    private static final Duration WAIT = Duration.ofMillis(500);
    private static final Duration QUIET_CHECK = Duration.ofSeconds(10);
    private static final Duration FIRST_CONNECT = Duration.ofSeconds(10);
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10)).withJitter(0.3);
    private static final Logger log = LoggerFactory.getLogger(ClusterListener.class);

    private final DatabaseRoles roles;
    private final ClusterInstance instance;
    private final ApplicationEventPublisher events;
    private final ClusterMeters meters;
    private final CountDownLatch listening = new CountDownLatch(1);
    private volatile boolean running;
    private Thread thread;

    public ClusterListener(DatabaseRoles roles, ClusterInstance instance, ApplicationEventPublisher events, ClusterMeters meters) {
        this.roles = roles;
        this.instance = instance;
        this.events = events;
        this.meters = meters;
    }

    /** Starts listening and waits (a while) for the first {@code LISTEN}, so a started platform hears the others. */
    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("cluster-listener").daemon().start(this::run);
        try {
            if (!listening.await(FIRST_CONNECT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Not listening to other platform instances yet; trying on in the background");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        int failures = 0;
        boolean lost = false;
        while (running) {
            try (Connection connection = open()) {
                try (var st = connection.createStatement()) {
                    st.execute("LISTEN " + ClusterNotices.CHANNEL);
                }
                if (lost) {
                    meters.reconnects.increment();
                    log.info("Listening to other platform instances again; every view and long poll looks again");
                    publish(new RemoteChange.Everything());
                }
                failures = 0;
                listening.countDown();
                listen(connection);
            } catch (SQLException e) {
                if (!running) return;
                lost = true;
                if (failures++ == 0) log.warn("Lost the connection that listens to other platform instances: {}", e.getMessage());
                try {
                    Thread.sleep(BACKOFF.delay(failures, ThreadLocalRandom.current()::nextDouble));
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private Connection open() throws SQLException {
        var props = new Properties();
        props.setProperty("user", roles.app().user());
        if (roles.app().password() != null) props.setProperty("password", roles.app().password());
        props.setProperty("ApplicationName", APPLICATION_NAME + instance.id());
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(roles.url(), props);
    }

    private void listen(Connection connection) throws SQLException {
        var pg = connection.unwrap(PGConnection.class);
        long quietSince = System.nanoTime();
        while (running) {
            PGNotification[] notices = pg.getNotifications((int) WAIT.toMillis());
            if (notices != null && notices.length > 0) {
                for (var n : notices) receive(n);
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > QUIET_CHECK.toNanos()) {
                try (var st = connection.createStatement()) {
                    st.execute("SELECT 1");
                }
                quietSince = System.nanoTime();
            }
        }
    }

    private void receive(PGNotification n) {
        if (!ClusterNotices.CHANNEL.equals(n.getName())) return;
        ClusterNotice notice;
        try {
            notice = NoticeCodec.decode(n.getParameter());
        } catch (IllegalArgumentException e) {
            log.warn("Ignored a cluster notice from backend {}: {}", n.getPID(), e.getMessage());
            return;
        }
        if (notice.instance().equals(instance)) return;
        meters.received.increment();
        publish(new RemoteChange.Changes(notice.changes().topics(), notice.changes().generationMoved()));
    }

    private void publish(RemoteChange change) {
        try {
            events.publishEvent(change);
        } catch (RuntimeException e) {
            // A listener's failure must not take the connection down with it.
            log.warn("A listener failed on a change from another platform instance", e);
        }
    }

    @Override
    public void stop() {
        running = false;
        if (thread == null) return;
        try {
            thread.join(WAIT.multipliedBy(4).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
