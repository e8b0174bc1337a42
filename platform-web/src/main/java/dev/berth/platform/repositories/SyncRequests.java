package dev.berth.platform.repositories;

import org.quartz.JobDataMap;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Asks Quartz to fetch one external repository now: a one-off firing of the poll job that carries
 * the repository. Through the clustered job store any platform instance may run it, and never
 * while another runs the poll job, so a repository is not fetched twice at once across instances.
 */
@Component
public class SyncRequests {
    private static final System.Logger LOG = System.getLogger(SyncRequests.class.getName());

    private final ObjectProvider<Scheduler> scheduler;

    public SyncRequests(ObjectProvider<Scheduler> scheduler) {
        this.scheduler = scheduler;
    }

    /** Requests the first fetch of a newly registered repository; call it after the registration committed. */
    public void request(long repositoryId) {
        var data = new JobDataMap();
        data.put(RepositoryPollJob.REPOSITORY, Long.toString(repositoryId));
        try {
            scheduler.getObject().triggerJob(RepositoryPollJob.JOB, data);
        } catch (SchedulerException | RuntimeException e) {
            // A repository never fetched is due at the next poll tick anyway.
            LOG.log(System.Logger.Level.WARNING, "could not start the first fetch of repository " + repositoryId
                    + " now; the next poll does: " + e.getMessage());
        }
    }
}
