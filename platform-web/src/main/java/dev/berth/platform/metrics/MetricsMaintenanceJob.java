package dev.berth.platform.metrics;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.springframework.scheduling.quartz.QuartzJobBean;

/** Quartz's tick for app metrics: clustered, so one instance at a time rolls up and prunes. */
@DisallowConcurrentExecution
public class MetricsMaintenanceJob extends QuartzJobBean {
    private final MetricsMaintenance maintenance;

    /** Spring's job factory creates each run's instance with its dependencies. */
    public MetricsMaintenanceJob(MetricsMaintenance maintenance) {
        this.maintenance = maintenance;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) {
        maintenance.maintain();
    }
}
