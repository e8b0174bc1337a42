package dev.berth.platform.config;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans that have no better home: the one clock everything reads time from. */
@Configuration
public class PlatformConfig {
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
