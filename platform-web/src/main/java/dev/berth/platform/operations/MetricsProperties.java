package dev.berth.platform.operations;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code berth.metrics.*}: {@code heartbeat-interval} is how often agents send heartbeats (the
 * agent's {@code --heartbeat-seconds}, 10 by default); a host is late after twice that.
 */
@ConfigurationProperties("berth.metrics")
public record MetricsProperties(Duration heartbeatInterval) {
    public MetricsProperties {
        if (heartbeatInterval == null) heartbeatInterval = Duration.ofSeconds(10);
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("berth.metrics.heartbeat-interval must be positive, not " + heartbeatInterval);
        }
    }
}
