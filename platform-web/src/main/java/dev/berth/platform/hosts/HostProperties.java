package dev.berth.platform.hosts;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code berth.hosts.*}: how long a host counts as alive after its last heartbeat, and how long a
 * join token lasts when its creator does not say.
 */
@ConfigurationProperties("berth.hosts")
public record HostProperties(Duration heartbeatTimeout, Duration joinTokenTtl) {
    public static final Duration MAX_JOIN_TOKEN_TTL = Duration.ofHours(24);

    public HostProperties {
        if (heartbeatTimeout == null) heartbeatTimeout = Duration.ofSeconds(90);
        if (joinTokenTtl == null) joinTokenTtl = Duration.ofHours(1);
        if (heartbeatTimeout.isNegative() || heartbeatTimeout.isZero()) {
            throw new IllegalArgumentException("berth.hosts.heartbeat-timeout must be positive");
        }
        if (joinTokenTtl.isNegative() || joinTokenTtl.isZero() || joinTokenTtl.compareTo(MAX_JOIN_TOKEN_TTL) > 0) {
            throw new IllegalArgumentException("berth.hosts.join-token-ttl must be positive and at most 24h");
        }
    }
}
