package dev.berth.platform.logs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code berth.logs.*}: how much container output the platform keeps and accepts.
 *
 * @param maxLines lines kept per container, oldest dropped first (default 2000)
 * @param maxBytes UTF-8 bytes of line text kept per container (default 1 MiB)
 * @param maxBodyBytes the largest {@code POST /agent/v1/logs} body; larger ones get 413 (default 1 MiB)
 * @param maxLineChars longer lines are cut into pieces of this many chars (default 16384)
 * @param maxContainersPerHost containers one host may keep logs for at once (default 1000)
 * @param quietLineAfter an unfinished line with no new output for this long is kept as it is (default 30s)
 * @param retention logs of a container its host no longer reports are deleted after this long (default 1 day)
 * @param maintenanceInterval how often the scheduler closes quiet lines and prunes (default 1 minute)
 */
@ConfigurationProperties("berth.logs")
public record LogProperties(Integer maxLines, Long maxBytes, Long maxBodyBytes, Integer maxLineChars,
                            Integer maxContainersPerHost, Duration quietLineAfter, Duration retention,
                            Duration maintenanceInterval) {
    public LogProperties {
        if (maxLines == null) maxLines = 2000;
        if (maxBytes == null) maxBytes = 1L << 20;
        if (maxBodyBytes == null) maxBodyBytes = 1L << 20;
        if (maxLineChars == null) maxLineChars = 16_384;
        if (maxContainersPerHost == null) maxContainersPerHost = 1000;
        if (quietLineAfter == null) quietLineAfter = Duration.ofSeconds(30);
        if (retention == null) retention = Duration.ofDays(1);
        if (maintenanceInterval == null) maintenanceInterval = Duration.ofMinutes(1);
        if (maxLines < 1) throw new IllegalArgumentException("berth.logs.max-lines must be at least 1");
        if (maxBytes < 1) throw new IllegalArgumentException("berth.logs.max-bytes must be at least 1");
        if (maxBodyBytes < 1024) throw new IllegalArgumentException("berth.logs.max-body-bytes must be at least 1024");
        if (maxLineChars < 80) throw new IllegalArgumentException("berth.logs.max-line-chars must be at least 80");
        if (maxContainersPerHost < 1) throw new IllegalArgumentException("berth.logs.max-containers-per-host must be at least 1");
        for (var d : new Duration[] {quietLineAfter, retention, maintenanceInterval}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("berth.logs.quiet-line-after, retention and maintenance-interval must be positive");
            }
        }
    }
}
