package dev.berth.platform.operations;

import dev.berth.platform.problem.ProblemWriter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.quartz.autoconfigure.SchedulerFactoryBeanCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * How the platform behaves on its bad days, and what it tells about itself: the outage filter in
 * front of everything, and the platform's own meters. The health indicators are components of this
 * package; application.yml groups them into liveness and readiness.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MetricsProperties.class)
public class OperationsConfig {

    /** Outside the security chains, so a credential lookup that fails for want of a database is caught too. */
    @Bean
    FilterRegistrationBean<OutageFilter> outageFilter(ProblemWriter problems, PoolTimeouts poolTimeouts) {
        var registration = new FilterRegistrationBean<>(new OutageFilter(problems, poolTimeouts));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.addUrlPatterns("/*");
        return registration;
    }

    @Bean
    RoundTimes roundTimes(MeterRegistry meters) {
        return new RoundTimes(meters);
    }

    @Bean
    SchedulerFactoryBeanCustomizer timeReconcileRounds(RoundTimes rounds) {
        return factory -> factory.setGlobalJobListeners(rounds);
    }

    @Bean
    LongPolls longPolls(MeterRegistry meters) {
        return new LongPolls(meters);
    }

    @Bean
    WebhookFailures webhookFailures(MeterRegistry meters) {
        return new WebhookFailures(meters);
    }
}
