package dev.berth.platform.logs;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.springframework.scheduling.quartz.QuartzJobBean;

/** Quartz's tick for container logs: close quiet unfinished lines, prune logs of containers long gone. */
@DisallowConcurrentExecution
public class ContainerLogMaintenanceJob extends QuartzJobBean {
    private final ContainerLogs logs;

    /** Spring's job factory creates each run's instance with its dependencies. */
    public ContainerLogMaintenanceJob(ContainerLogs logs) {
        this.logs = logs;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) {
        logs.maintain();
    }
}
