package dev.berth.platform.cluster;

import dev.berth.backoff.Backoff;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCallback;
import org.springframework.stereotype.Component;

/**
 * Tells the other platform instances on this database what changed here: {@code pg_notify} on
 * {@link #CHANNEL}, tagged with this instance's id. Callers hand over changes that are already
 * committed; they are collected for {@link #WINDOW} after the first one and sent together, so a
 * burst (heartbeats of many hosts) becomes one notice, or a few when the topics do not fit one
 * payload. A send that fails is kept and tried again with backoff; nothing blocks the caller.
 */
@Component
public class ClusterNotices implements SmartLifecycle {
    /** The one channel every instance listens on. */
    public static final String CHANNEL = "berth_cluster";
    /** How long changes are collected before they are sent: well inside the one second a change may take to show elsewhere. */
    static final Duration WINDOW = Duration.ofMillis(100);
    private static final Backoff RETRY = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));
    private static final Logger log = LoggerFactory.getLogger(ClusterNotices.class);

    private final PendingChanges pending = new PendingChanges();
    private final JdbcTemplate jdbc;
    private final ClusterInstance instance;
    private final ClusterMeters meters;
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("cluster-notices").daemon().unstarted(r));
    private volatile boolean running;
    private int failures;

    public ClusterNotices(DataSource dataSource, ClusterInstance instance, ClusterMeters meters) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.instance = instance;
        this.meters = meters;
    }

    /** A committed change the views concerned with {@code topic} should show, on every other instance too. */
    public void changed(String topic) {
        NoticeCodec.requireSendable(topic);
        if (pending.add(topic)) schedule(WINDOW);
    }

    /** A committed change moved some host's generation: the other instances wake their long polls. */
    public void generationMoved() {
        if (pending.generationMoved()) schedule(WINDOW);
    }

    private void schedule(Duration after) {
        if (sender.isShutdown()) return;
        try {
            sender.schedule(this::send, after.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // stopped meanwhile; stop() sent what was pending
        }
    }

    /** Sends what is pending (on the sender thread). */
    private void send() {
        var batch = pending.take();
        if (batch.isEmpty()) return;
        try {
            for (String payload : NoticeCodec.encode(instance, batch)) {
                jdbc.execute("SELECT pg_notify(?, ?)", (PreparedStatementCallback<Object>) ps -> {
                    ps.setString(1, CHANNEL);
                    ps.setString(2, payload);
                    ps.execute();
                    return null;
                });
                meters.sent.increment();
            }
            if (failures > 0) log.info("Cluster notices are sent again after {} failed attempts", failures);
            failures = 0;
        } catch (DataAccessException e) {
            // Kept for the next attempt; the others' listeners, cut off too, refresh everything when they reconnect.
            if (failures++ == 0) log.warn("Could not send a cluster notice; trying again: {}", e.getMostSpecificCause().getMessage());
            pending.putBack(batch);
            if (running) schedule(RETRY.delay(failures));
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /** Sends what is still pending, once, then stops; before the pool closes. */
    @Override
    public void stop() {
        running = false;
        sender.shutdown();
        try {
            if (sender.awaitTermination(5, TimeUnit.SECONDS)) send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
