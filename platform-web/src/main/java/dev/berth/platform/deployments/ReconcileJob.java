package dev.berth.platform.deployments;

import java.util.Objects;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.springframework.scheduling.quartz.QuartzJobBean;

/**
 * Quartz's every-second tick: one reconcile round (rounds asked for run at once, from
 * {@link ReconcileTrigger}). Never two at once in this cluster's scheduler; the round's advisory
 * lock also keeps two instances, or this and an asked-for round, from both applying one.
 */
@DisallowConcurrentExecution
public class ReconcileJob extends QuartzJobBean {
    private static final System.Logger LOG = System.getLogger(ReconcileJob.class.getName());
    /** The last failure logged, so a failure that lasts is logged once rather than every second. */
    private static volatile String lastFailure;

    private final Reconciler reconciler;
    private final ReconcileTrigger trigger;

    /** Spring's job factory creates each run's instance with its dependencies. */
    public ReconcileJob(Reconciler reconciler, ReconcileTrigger trigger) {
        this.reconciler = reconciler;
        this.trigger = trigger;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) {
        trigger.started();
        try {
            reconciler.runOnce();
            lastFailure = null;
        } catch (RuntimeException e) {
            String what = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!Objects.equals(what, lastFailure)) LOG.log(System.Logger.Level.WARNING, "a reconcile round failed", e);
            lastFailure = what;
        }
    }
}
