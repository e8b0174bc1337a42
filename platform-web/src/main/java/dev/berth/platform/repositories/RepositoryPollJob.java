package dev.berth.platform.repositories;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.springframework.scheduling.quartz.QuartzJobBean;

/**
 * Quartz's tick: sync the external repositories whose poll interval has passed. A firing that
 * {@link SyncRequests} made for one repository fetches that one for the first time instead.
 */
@DisallowConcurrentExecution
public class RepositoryPollJob extends QuartzJobBean {
    static final JobKey JOB = JobKey.jobKey("repository-poll");
    /** The trigger's data key naming the repository a one-off firing is for. */
    static final String REPOSITORY = "repository";

    private final ExternalSync sync;

    /** Spring's job factory creates each run's instance with its dependencies. */
    public RepositoryPollJob(ExternalSync sync) {
        this.sync = sync;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) {
        var data = context.getTrigger().getJobDataMap();
        if (data.containsKey(REPOSITORY)) {
            sync.firstSync(Long.parseLong(data.getString(REPOSITORY)));
        } else {
            sync.pollDue();
        }
    }
}
