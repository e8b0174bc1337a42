package dev.berth.platform.audit;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

/**
 * Appends events to the hash chain. Callers block until their event is committed, so an action
 * is never reported done before it is audited. One writer thread drains the queue into batches:
 * concurrent requests share one transaction (and one fsync) instead of queueing on the head lock.
 */
@Service
public class AuditLog implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final int MAX_BATCH = 500;
    private static final long COMMIT_TIMEOUT_SECONDS = 30;

    private final AuditStore store;
    private final Clock clock;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(50_000);
    private volatile Thread writer;
    private volatile boolean running;

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
        if (!running) throw new AuditUnavailableException("the audit log is not running");
        var pending = new Pending(event, new CompletableFuture<>());
        try {
            if (!queue.offer(pending, COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AuditUnavailableException("the audit queue is full");
            }
            return pending.committed().get(COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditUnavailableException("interrupted while waiting for the audit log");
        } catch (ExecutionException e) {
            throw new AuditUnavailableException("the audit event could not be stored: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new AuditUnavailableException("the audit log did not commit within " + COMMIT_TIMEOUT_SECONDS + "s");
        }
    }

    private void drain() {
        var batch = new ArrayList<Pending>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                if (!running) break;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        try {
            var rows = store.append(batch.stream().map(Pending::event).toList());
            for (int i = 0; i < batch.size(); i++) batch.get(i).committed().complete(rows.get(i).seq());
        } catch (SQLException | RuntimeException e) {
            log.error("audit append of {} events failed", batch.size(), e);
            batch.forEach(p -> p.committed().completeExceptionally(e));
        }
    }

    @Override
    public void start() {
        running = true;
        writer = Thread.ofPlatform().name("audit-writer").daemon().start(this::drain);
    }

    @Override
    public void stop() {
        running = false;
        Thread w = writer;
        if (w != null) {
            try {
                w.join(TimeUnit.SECONDS.toMillis(COMMIT_TIMEOUT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the web server (which has a higher phase) so in-flight requests still audit. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }
}
