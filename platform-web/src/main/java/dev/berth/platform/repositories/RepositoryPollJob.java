package dev.berth.platform.repositories;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.springframework.scheduling.quartz.QuartzJobBean;

/** Quartz's tick: sync the external repositories whose poll interval has passed. */
@DisallowConcurrentExecution
public class RepositoryPollJob extends QuartzJobBean {
    private final ExternalSync sync;

    /** Spring's job factory creates each run's instance with its dependencies. */
    public RepositoryPollJob(ExternalSync sync) {
        this.sync = sync;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) {
        sync.pollDue();
    }
}
