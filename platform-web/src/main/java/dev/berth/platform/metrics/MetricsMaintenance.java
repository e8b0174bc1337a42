package dev.berth.platform.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rolls raw samples up into 1-minute buckets and those into 10-minute ones, then deletes what is
 * past each resolution's window. Run by {@link MetricsMaintenanceJob} on one instance at a time.
 */
@Service
public class MetricsMaintenance {
    /** Heartbeats of a slot may still arrive this long after it ended; a bucket is rolled up only after. */
    static final Duration LATE = Duration.ofSeconds(30);
    private final ReplicaMetricStore store;
    private final TransactionTemplate tx;
    private final Clock clock;

    MetricsMaintenance(ReplicaMetricStore store, TransactionTemplate tx, Clock clock) {
        this.store = store;
        this.tx = tx;
        this.clock = clock;
    }

    /** One pass: roll-ups, then pruning. */
    public void maintain() {
        Instant now = clock.instant();
        tx.executeWithoutResult(s -> store.rollUp(Resolution.RAW, Resolution.MINUTE, now.minus(LATE), now));
        tx.executeWithoutResult(s -> store.rollUp(Resolution.MINUTE, Resolution.TEN_MINUTES, now.minus(LATE), now));
        for (Resolution r : Resolution.values()) tx.executeWithoutResult(s -> store.prune(r, now));
    }
}
