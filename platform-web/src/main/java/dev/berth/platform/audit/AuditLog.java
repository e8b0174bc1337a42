package dev.berth.platform.audit;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Appends events to the hash chain. A caller returns only once its event is committed, so an
 * action is never reported done before it is audited.
 * <p>
 * Group commit without a writer thread: every caller queues its event and tries the append lock.
 * Whoever gets it writes everything queued, in batches, and completes the others' futures; the
 * rest wait on their own future. A lone caller writes its own event directly, and under load the
 * queue turns into batches, so concurrent requests share one commit instead of queueing on the
 * head row.
 */
@Service
public class AuditLog {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final int MAX_BATCH = 500;
    private static final int MAX_BATCHES_PER_TURN = 8;
    private static final long HANDOVER_WAIT_MILLIS = 5;

    private final AuditStore store;
    private final Clock clock;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock appending = new ReentrantLock();

    private record Pending(AuditEvent event, CompletableFuture<Long> committed) {
    }

    public AuditLog(AuditStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Stamps the event with the current time and appends it; returns its sequence number. */
    public long record(AuditEvent.Builder event) {
        return record(event.at(clock.instant()));
    }

    /** Appends the event and waits until it is committed; returns its sequence number. */
    public long record(AuditEvent event) {
        var mine = new Pending(event, new CompletableFuture<>());
        queue.add(mine);
        return await(mine);
    }

    /**
     * Stamps the events with the current time and appends them in their order, waiting until all
     * are committed. They are queued together, so a caller with many (a reconcile round that ends
     * a thousand deployments) shares a few batches instead of paying a commit per event.
     */
    public void recordAll(List<AuditEvent.Builder> events) {
        if (events.isEmpty()) return;
        var mine = new ArrayList<Pending>(events.size());
        for (var e : events) mine.add(new Pending(e.at(clock.instant()), new CompletableFuture<>()));
        queue.addAll(mine);
        // The queue is written in order, so once the last is settled all are; each is checked, and the first failure told.
        await(mine.getLast());
        for (var p : mine) await(p);
    }

    private long await(Pending mine) {
        try {
            while (!mine.committed().isDone()) {
                if (appending.tryLock()) {
                    try {
                        for (int batches = 0; batches < MAX_BATCHES_PER_TURN && !queue.isEmpty(); batches++) writeQueued();
                    } finally {
                        appending.unlock();
                    }
                } else {
                    // The holder will most likely write ours; the timeout covers an event queued
                    // just after the holder's last look at the queue.
                    awaitQuietly(mine.committed());
                }
            }
            return mine.committed().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditUnavailableException("interrupted while waiting for the audit log");
        } catch (ExecutionException e) {
            throw new AuditUnavailableException("the audit event could not be stored: " + e.getCause().getMessage());
        }
    }

    private static void awaitQuietly(CompletableFuture<Long> f) throws InterruptedException {
        try {
            f.get(HANDOVER_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // the caller's loop looks at the future again
        }
    }

    private void writeQueued() {
        var batch = new ArrayList<Pending>();
        for (Pending p; batch.size() < MAX_BATCH && (p = queue.poll()) != null; ) batch.add(p);
        if (batch.isEmpty()) return;
        try {
            List<ChainedEvent> rows = store.append(batch.stream().map(Pending::event).toList());
            for (int i = 0; i < batch.size(); i++) batch.get(i).committed().complete(rows.get(i).seq());
        } catch (SQLException | RuntimeException e) {
            log.error("audit append of {} events failed", batch.size(), e);
            batch.forEach(p -> p.committed().completeExceptionally(e));
        }
    }
}
