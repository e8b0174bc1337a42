package dev.berth.platform.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.PlatformTest;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The running platform's scheduler: clustered, on the V8 tables, and stopped before its DataSource. */
class QuartzOnThePlatformTest extends PlatformTest {
    @Autowired
    Scheduler scheduler;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ConfigurableApplicationContext context;

    @Test
    void thePlatformSchedulesFromTheClusteredJdbcStore() throws Exception {
        var meta = scheduler.getMetaData();
        assertThat(meta.isJobStoreClustered()).isTrue();
        assertThat(meta.getJobStoreClass()).isEqualTo(ClusterJobStore.class);
        assertThat(meta.getSchedulerName()).isEqualTo("berth");
        assertThat(jdbc.sql("SELECT job_name || ':' || is_nonconcurrent FROM qrtz_job_details WHERE sched_name = 'berth'")
                .query(String.class).list()).contains("container-log-maintenance:true", "repository-poll:true",
                        "app-metrics-maintenance:true");
        assertThat(jdbc.sql("SELECT instance_name FROM qrtz_scheduler_state WHERE sched_name = 'berth'").query(String.class).list())
                .contains(meta.getSchedulerInstanceId());
    }

    @Test
    void theSchedulerIsDestroyedBeforeItsDataSource() {
        assertThat(context.getBeanFactory().getDependentBeans("dataSource")).contains(SchedulingConfig.SCHEDULER);
    }
}
