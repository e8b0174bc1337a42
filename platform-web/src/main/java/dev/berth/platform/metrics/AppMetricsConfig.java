package dev.berth.platform.metrics;

import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** App metrics settings, and {@link MetricsMaintenanceJob} on the platform's clustered Quartz. */
@Configuration
@EnableConfigurationProperties(AppMetricsProperties.class)
public class AppMetricsConfig {
    @Bean
    JobDetail appMetricsMaintenanceJob() {
        return JobBuilder.newJob(MetricsMaintenanceJob.class).withIdentity("app-metrics-maintenance").storeDurably().build();
    }

    @Bean
    Trigger appMetricsMaintenanceTrigger(JobDetail appMetricsMaintenanceJob, AppMetricsProperties properties) {
        return TriggerBuilder.newTrigger().forJob(appMetricsMaintenanceJob).withIdentity("app-metrics-maintenance")
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(properties.maintenanceInterval().toMillis()).repeatForever())
                .build();
    }
}
