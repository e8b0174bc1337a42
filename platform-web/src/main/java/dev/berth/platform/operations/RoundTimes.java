package dev.berth.platform.operations;

import dev.berth.platform.deployments.ReconcileJob;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;

/**
 * Times the reconcile rounds the Quartz tick runs on this instance ({@code berth_reconcile_round_seconds}),
 * as Quartz measured the job: a round skipped because another instance held the lock counts too,
 * briefly. Rounds asked for (after a push, a report) run outside Quartz and are timed into the same
 * meter by {@code deployments.ReconcileTrigger}.
 */
public class RoundTimes implements JobListener {
    static final String METER = "berth.reconcile.round";
    private final Timer rounds;

    public RoundTimes(MeterRegistry meters) {
        this.rounds = Timer.builder(METER).description("How long reconcile rounds take on this instance")
                .publishPercentileHistogram().register(meters);
    }

    @Override
    public String getName() {
        return "berth-round-times";
    }

    @Override
    public void jobToBeExecuted(JobExecutionContext context) {
    }

    @Override
    public void jobExecutionVetoed(JobExecutionContext context) {
    }

    @Override
    public void jobWasExecuted(JobExecutionContext context, JobExecutionException failure) {
        if (ReconcileJob.class.equals(context.getJobDetail().getJobClass())) rounds.record(Duration.ofMillis(context.getJobRunTime()));
    }
}
