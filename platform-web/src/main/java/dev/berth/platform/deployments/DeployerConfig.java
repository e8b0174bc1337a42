package dev.berth.platform.deployments;

import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The reconcile round on Quartz every second; {@link ReconcileTrigger} runs one at once when something asks. */
@Configuration
public class DeployerConfig {
    @Bean
    JobDetail deployerReconcileJob() {
        return JobBuilder.newJob(ReconcileJob.class).withIdentity(ReconcileTrigger.JOB).storeDurably().build();
    }

    /** A round that overran its second is not made up for: the next tick sees the state as it is then. */
    @Bean
    Trigger deployerReconcileTrigger() {
        return TriggerBuilder.newTrigger().forJob(deployerReconcileJob()).withIdentity("deployer-reconcile")
                .withSchedule(SimpleScheduleBuilder.repeatSecondlyForever(1).withMisfireHandlingInstructionNextWithRemainingCount())
                .build();
    }
}
