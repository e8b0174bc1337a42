package dev.berth.agent.daemon;

/**
 * A container's health from its check results: STARTING until the first success, then HEALTHY;
 * UNHEALTHY after {@link #FAILURES_TO_UNHEALTHY} failures in a row, HEALTHY again on a success.
 * Pure.
 */
public record HealthTracker(Status status, int failuresInARow) {
    public static final int FAILURES_TO_UNHEALTHY = 3;
    public static final HealthTracker START = new HealthTracker(Status.STARTING, 0);

    public enum Status { STARTING, HEALTHY, UNHEALTHY }

    public HealthTracker next(boolean passed) {
        if (passed) return new HealthTracker(Status.HEALTHY, 0);
        int failures = failuresInARow + 1;
        return new HealthTracker(failures >= FAILURES_TO_UNHEALTHY ? Status.UNHEALTHY : status, failures);
    }
}
