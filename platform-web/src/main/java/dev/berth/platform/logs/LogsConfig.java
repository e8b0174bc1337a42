package dev.berth.platform.logs;

import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Container log settings, and {@link ContainerLogMaintenanceJob} on the platform's clustered Quartz. */
@Configuration
@EnableConfigurationProperties(LogProperties.class)
public class LogsConfig {
    @Bean
    JobDetail containerLogMaintenanceJob() {
        return JobBuilder.newJob(ContainerLogMaintenanceJob.class).withIdentity("container-log-maintenance").storeDurably().build();
    }

    @Bean
    Trigger containerLogMaintenanceTrigger(JobDetail containerLogMaintenanceJob, LogProperties properties) {
        return TriggerBuilder.newTrigger().forJob(containerLogMaintenanceJob).withIdentity("container-log-maintenance")
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(properties.maintenanceInterval().toMillis()).repeatForever())
                .build();
    }
}
