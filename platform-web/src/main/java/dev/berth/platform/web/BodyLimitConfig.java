package dev.berth.platform.web;

import dev.berth.platform.logs.LogProperties;
import dev.berth.platform.problem.ProblemWriter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The body limits at the web edge: {@link BodyLimitFilter} with its areas and the shared {@link BodyBudget}. */
@Configuration
@EnableConfigurationProperties(BodyLimitProperties.class)
public class BodyLimitConfig {
    @Bean
    BodyBudget bodyBudget(BodyLimitProperties properties, LogProperties logs, ObjectProvider<MeterRegistry> meters) {
        long largest = BodyArea.areas(properties, logs.maxBodyBytes()).stream().mapToLong(BodyArea::limit).max().orElseThrow();
        if (properties.inFlightBytes() <= largest) {
            throw new IllegalArgumentException("berth.bodies.in-flight-bytes (" + properties.inFlightBytes()
                    + ") must be larger than the largest body limit (" + largest + ")");
        }
        var budget = new BodyBudget(properties.inFlightBytes(), properties.inFlightWait());
        meters.ifAvailable(registry -> Gauge.builder("berth.request.bodies.in.flight", budget, BodyBudget::inFlight)
                .baseUnit("bytes").description("request body bytes being read at once").register(registry));
        return budget;
    }

    /** Before Spring Security's chains (and after the character encoding is set), so nothing reads a body uncapped. */
    @Bean
    FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(BodyLimitProperties properties, LogProperties logs,
                                                            BodyBudget budget, ProblemWriter problems) {
        var registration = new FilterRegistrationBean<>(new BodyLimitFilter(BodyArea.areas(properties, logs.maxBodyBytes()),
                budget, problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        registration.addUrlPatterns("/*");
        return registration;
    }
}
