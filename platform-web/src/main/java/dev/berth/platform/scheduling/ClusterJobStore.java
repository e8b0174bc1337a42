package dev.berth.platform.scheduling;

import java.sql.Connection;
import java.sql.SQLException;
import org.quartz.JobPersistenceException;
import org.quartz.spi.OperableTrigger;
import org.springframework.scheduling.quartz.LocalDataSourceJobStore;

/**
 * The platform's Quartz job store (spring.quartz.properties org.quartz.jobStore.class): Spring's
 * store on the platform's DataSource, with one fix that keeps {@code @DisallowConcurrentExecution}
 * true across a cluster.
 *
 * <p>Since Quartz 2.3.1, releasing an acquired trigger that could not fire also turns a BLOCKED
 * trigger back to WAITING (quartz-scheduler/quartz#146, meant for triggers left blocked after a
 * failure). A trigger is BLOCKED because another instance is running its job, so the next
 * instance to acquire it starts the job a second time (quartz-scheduler/quartz#674). That happens
 * when a job has several triggers, or when a starting instance replaces a trigger another one has
 * acquired ({@code overwrite-existing-jobs}). Here a blocked trigger is released only when no
 * instance is executing its job; otherwise the end of that execution unblocks it, as Quartz does.
 */
public class ClusterJobStore extends LocalDataSourceJobStore {

    @Override
    protected void releaseAcquiredTrigger(Connection conn, OperableTrigger trigger) throws JobPersistenceException {
        try {
            getDelegate().updateTriggerStateFromOtherState(conn, trigger.getKey(), STATE_WAITING, STATE_ACQUIRED);
            getDelegate().deleteFiredTrigger(conn, trigger.getFireInstanceId());
            // Only executions record their job in the fired-trigger table, so this asks whether one runs now.
            if (STATE_WAITING.equals(checkBlockedState(conn, trigger.getJobKey(), STATE_WAITING))) {
                getDelegate().updateTriggerStateFromOtherState(conn, trigger.getKey(), STATE_WAITING, STATE_BLOCKED);
            }
        } catch (SQLException e) {
            throw new JobPersistenceException("could not release acquired trigger " + trigger.getKey() + ": " + e.getMessage(), e);
        }
    }
}
