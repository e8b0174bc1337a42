package dev.berth.agent.protocol;

/**
 * When a container's health check runs and how its results count: every {@code intervalMillis},
 * each attempt given {@code timeoutMillis}; healthy after {@code healthyAfter} passes in a row,
 * unhealthy after {@code unhealthyAfter} failures in a row. A spec without timing gets
 * {@link #DEFAULT}.
 */
public record HealthTiming(long intervalMillis, long timeoutMillis, int healthyAfter, int unhealthyAfter) {
    /** Every second, a second each, healthy on the first pass, unhealthy after three failures. */
    public static final HealthTiming DEFAULT = new HealthTiming(1000, 1000, 1, 3);

    public HealthTiming {
        if (intervalMillis < 100) throw new IllegalArgumentException("health interval must be at least 100 ms");
        if (timeoutMillis < 10) throw new IllegalArgumentException("health timeout must be at least 10 ms");
        if (healthyAfter < 1 || unhealthyAfter < 1) throw new IllegalArgumentException("healthyAfter and unhealthyAfter must be at least 1");
    }
}
