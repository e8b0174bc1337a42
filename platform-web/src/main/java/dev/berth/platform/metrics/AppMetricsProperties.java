package dev.berth.platform.metrics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code berth.app-metrics.*}: the per-app series on {@code /actuator/prometheus} and the roll-up job.
 *
 * @param maxApps the most apps (with live replicas) exported, in team/app order; the rest are
 *                dropped and counted in {@code berth_app_metrics_apps_dropped} (default 500)
 * @param gaugeRefresh how often each instance reads the exported values from the database (default 15s)
 * @param maintenanceInterval how often one instance rolls samples up and prunes them (default 1 minute)
 */
@ConfigurationProperties("berth.app-metrics")
public record AppMetricsProperties(Integer maxApps, Duration gaugeRefresh, Duration maintenanceInterval) {
    public AppMetricsProperties {
        if (maxApps == null) maxApps = 500;
        if (gaugeRefresh == null) gaugeRefresh = Duration.ofSeconds(15);
        if (maintenanceInterval == null) maintenanceInterval = Duration.ofMinutes(1);
        if (maxApps < 0) throw new IllegalArgumentException("berth.app-metrics.max-apps must not be negative");
        for (var d : new Duration[] {gaugeRefresh, maintenanceInterval}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("berth.app-metrics.gauge-refresh and maintenance-interval must be positive");
            }
        }
    }
}
