package dev.berth.gitsync.definition;

import java.time.Duration;

/**
 * How a new revision replaces the running one. For {@code ROLLING}, at most {@code maxSurge}
 * extra replicas start and at most {@code maxUnavailable} are missing at any time; both are 0
 * for {@code RECREATE}, which stops everything first, and for {@code BLUE_GREEN}, which starts a
 * full set beside the old one and switches traffic once all of it is healthy. A new replica that
 * is not healthy within {@code healthTimeout} fails the rollout.
 */
public record Deploy(Strategy strategy, int maxSurge, int maxUnavailable, boolean autoRollback, Duration healthTimeout) {
    /** How long a new replica may take to pass its health check unless the file says otherwise. */
    public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(60);
    /** Rolling, one extra replica at a time, none missing, roll back when the new one fails. */
    public static final Deploy DEFAULT = new Deploy(Strategy.ROLLING, 1, 0, true, DEFAULT_HEALTH_TIMEOUT);

    /** Definitions stored before {@code healthTimeout} existed read it as the default. */
    public Deploy {
        if (healthTimeout == null) healthTimeout = DEFAULT_HEALTH_TIMEOUT;
    }

    public enum Strategy {
        ROLLING, RECREATE, BLUE_GREEN
    }
}
