package dev.berth.platform.scheduling;

import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Quartz itself is configured in application.yml (spring.quartz); this makes its scheduler stop
 * before the DataSource it schedules from, so jobs still running at shutdown can finish and record
 * that they did. Boot hands the DataSource to the scheduler through a customizer, which Spring
 * does not count as a dependency when it orders destruction.
 */
@Configuration(proxyBeanMethods = false)
public class SchedulingConfig {
    static final String SCHEDULER = "quartzScheduler";

    @Bean
    static BeanFactoryPostProcessor quartzStopsBeforeItsDataSource() {
        return beanFactory -> {
            if (!beanFactory.containsBeanDefinition(SCHEDULER)) return;
            for (String dataSource : beanFactory.getBeanNamesForType(DataSource.class, true, false)) {
                beanFactory.registerDependentBean(dataSource, SCHEDULER);
            }
        };
    }
}
