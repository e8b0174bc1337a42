package dev.berth.platform.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Which platform instances still answer: every {@link #CHECK_IN} this instance checks in
 * ({@link InstanceStore}), and takes out the rows of instances silent for {@link #SILENCE}, publishing
 * an {@link InstanceStopped} for each in the same transaction (so the deployments they were driving
 * can say so). It judges others only after checking in itself without a miss for {@link #SILENCE}:
 * after a database outage every row is old, its own included, and nobody stopped. After each check
 * that worked it publishes an {@link InstanceCheckedIn}, outside the transaction.
 */
@Component
public class InstanceWatch implements SmartLifecycle {
    static final Duration CHECK_IN = Duration.ofSeconds(2);
    /** Long enough that a busy or pausing instance is not called stopped; short enough for the timeline to tell soon. */
    static final Duration SILENCE = Duration.ofSeconds(12);
    private static final Logger log = LoggerFactory.getLogger(InstanceWatch.class);

    private final InstanceStore store;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final ClusterInstance instance;
    private final InstanceName name;
    private final Clock clock;
    private ScheduledExecutorService executor;
    /** Since when this instance's check-ins have all worked; null after a miss. */
    private Instant checkedInSince;

    InstanceWatch(InstanceStore store, TransactionTemplate tx, ApplicationEventPublisher events, ClusterInstance instance,
                  InstanceName name, Clock clock) {
        this.store = store;
        this.tx = tx;
        this.events = events;
        this.instance = instance;
        this.name = name;
        this.clock = clock;
    }

    /** One check: check in, then (with a clean record) take out the silent ones. */
    void check() {
        Instant now = clock.instant();
        try {
            tx.executeWithoutResult(s -> {
                store.checkIn(instance.id(), name.value());
                if (checkedInSince == null || Duration.between(checkedInSince, now).compareTo(SILENCE) < 0) return;
                for (var stale : store.takeStale(instance.id(), SILENCE)) {
                    log.warn("Platform instance {} ({}) stopped answering (last seen {}); this instance carries on",
                            stale.name(), stale.id(), stale.lastSeen().toInstant());
                    events.publishEvent(new InstanceStopped(stale.id(), stale.name(), stale.lastSeen().toInstant(), name.value()));
                }
            });
            if (checkedInSince == null) checkedInSince = now;
        } catch (RuntimeException e) {
            checkedInSince = null;
            log.debug("Cannot check in: {}", e.getMessage());
            return;
        }
        try {
            events.publishEvent(new InstanceCheckedIn(name.value()));
        } catch (RuntimeException e) {
            // A listener's failure is its own to tell; the check-in stands.
            log.warn("After the check-in: {}", e.getMessage(), e);
        }
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("instance-watch").daemon().factory());
        executor.scheduleWithFixedDelay(this::check, 0, CHECK_IN.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (executor == null) return;
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
            store.leave(instance.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug("Cannot leave: {}", e.getMessage());
        }
        executor = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
