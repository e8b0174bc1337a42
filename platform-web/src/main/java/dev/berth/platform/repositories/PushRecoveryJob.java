package dev.berth.platform.repositories;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.springframework.scheduling.quartz.QuartzJobBean;

/** Quartz's tick for {@link PushRecovery}: one instance of the cluster at a time settles what stopped platforms left. */
@DisallowConcurrentExecution
public class PushRecoveryJob extends QuartzJobBean {
    static final JobKey JOB = JobKey.jobKey("push-recovery");

    private final PushRecovery recovery;

    /** Spring's job factory creates each run's instance with its dependencies. */
    public PushRecoveryJob(PushRecovery recovery) {
        this.recovery = recovery;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) {
        recovery.recoverAll();
    }
}
