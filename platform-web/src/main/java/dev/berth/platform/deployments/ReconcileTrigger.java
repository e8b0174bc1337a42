package dev.berth.platform.deployments;

import dev.berth.platform.hosts.HostStandingChanged;
import java.util.concurrent.atomic.AtomicBoolean;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Asks Quartz for a reconcile round now rather than at the next tick: after a revision is
 * recorded, a heartbeat moved a replica, a rollback or a secret, a host drained or removed. Requests made while one is
 * already pending coalesce into it.
 */
@Component
public class ReconcileTrigger {
    private static final System.Logger LOG = System.getLogger(ReconcileTrigger.class.getName());
    static final JobKey JOB = JobKey.jobKey("deployer-reconcile");

    private final ObjectProvider<Scheduler> scheduler;
    private final AtomicBoolean pending = new AtomicBoolean();

    public ReconcileTrigger(ObjectProvider<Scheduler> scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * Requests a round soon; cheap, never blocks on the round itself. The request is made from a
     * thread of its own: callers are often in a transaction's after-commit callback, where a
     * JDBC job store would otherwise write through the finished transaction's connection.
     */
    public void request() {
        if (!pending.compareAndSet(false, true)) return;
        Thread.ofVirtual().name("reconcile-trigger").start(() -> {
            try {
                scheduler.getObject().triggerJob(JOB);
            } catch (SchedulerException | RuntimeException e) {
                pending.set(false);
                // The every-second tick still runs the round.
                LOG.log(System.Logger.Level.DEBUG, "could not trigger a reconcile round now: " + e.getMessage());
            }
        });
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
}
