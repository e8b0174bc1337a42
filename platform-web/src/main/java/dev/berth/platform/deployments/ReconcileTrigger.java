package dev.berth.platform.deployments;

import dev.berth.platform.hosts.HostStandingChanged;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.quartz.JobKey;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Runs a reconcile round now rather than at the next tick: after a revision is recorded, a
 * heartbeat moved a replica, a rollback or a secret, a host drained or removed. Requests made while
 * one is already pending coalesce into it.
 *
 * <p>The round runs on this instance, on a thread of its own, not through Quartz: a job triggered
 * there waits for the scheduler thread to acquire it through the job store (and, while the tick's
 * round runs, for that one to end and unblock it; after a failed acquisition, for the store's retry
 * interval), which cost tens of milliseconds to seconds on every push. The round's advisory lock
 * keeps it from running beside the tick's round or another instance's; when it finds the lock
 * taken, the round holding it may have loaded its snapshot before the change that asked for this
 * one, so it tries again shortly ({@link #RETRIES}), and the every-second tick remains the safety net.
 */
@Component
public class ReconcileTrigger {
    private static final System.Logger LOG = System.getLogger(ReconcileTrigger.class.getName());
    static final JobKey JOB = JobKey.jobKey("deployer-reconcile");
    /** The rounds' timer, shared with the tick's (operations.RoundTimes). */
    private static final String ROUND_METER = "berth.reconcile.round";
    /** Waits before trying again while another round holds the lock: rounds take milliseconds, the tick comes within a second. */
    static final List<Duration> RETRIES = List.of(Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(20), Duration.ofMillis(40), Duration.ofMillis(80), Duration.ofMillis(160));

    private final ObjectProvider<Reconciler> reconciler;
    private final ObjectProvider<MeterRegistry> meters;
    private final AtomicBoolean pending = new AtomicBoolean();
    /** One round at a time from here; a request during a round queues the next. */
    private final ExecutorService rounds = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("reconcile-now").factory());

    public ReconcileTrigger(ObjectProvider<Reconciler> reconciler, ObjectProvider<MeterRegistry> meters) {
        this.reconciler = reconciler;
        this.meters = meters;
    }

    /**
     * Requests a round soon; cheap, never blocks on the round itself. The round runs on a thread of
     * its own: callers are often in a transaction's after-commit callback, whose connection Spring
     * still binds to theirs.
     */
    public void request() {
        if (!pending.compareAndSet(false, true)) return;
        try {
            rounds.execute(this::run);
        } catch (RejectedExecutionException closing) {
            pending.set(false);
        }
    }

    private void run() {
        started();
        try {
            for (int attempt = 0; ; attempt++) {
                if (timed(reconciler.getObject()::runOnce) instanceof Reconciler.Ran || attempt == RETRIES.size()) return;
                Thread.sleep(RETRIES.get(attempt));
            }
        } catch (InterruptedException closing) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The every-second tick runs the round again, and logs a failure that lasts.
            LOG.log(System.Logger.Level.DEBUG, "a requested reconcile round failed: " + e);
        }
    }

    /** The round, counted in the rounds' time ({@code berth_reconcile_round_seconds}) beside the tick's, which Quartz times. */
    private Reconciler.Outcome timed(Supplier<Reconciler.Outcome> round) {
        var registry = meters.getIfAvailable();
        if (registry == null) return round.get();
        return Timer.builder(ROUND_METER).register(registry).record(round);
    }

    /** A host started or stopped draining, or was removed: its replicas move in the next round, now. */
    @TransactionalEventListener(fallbackExecution = true)
    void on(HostStandingChanged event) {
        request();
    }

    /** A round started: requests from now on need a round of their own. */
    void started() {
        pending.set(false);
    }

    @PreDestroy
    void close() {
        rounds.shutdownNow();
    }
}
