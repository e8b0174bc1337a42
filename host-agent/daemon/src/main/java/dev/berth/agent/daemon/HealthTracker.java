package dev.berth.agent.daemon;

import dev.berth.agent.protocol.HealthTiming;

/**
 * A container's health from its check results, counted as its {@link HealthTiming} says: STARTING
 * until {@code healthyAfter} passes in a row, then HEALTHY; UNHEALTHY after {@code unhealthyAfter}
 * failures in a row, HEALTHY again after {@code healthyAfter} passes in a row. A container that
 * never passed stays STARTING however often it fails: the deployer's health gate times out on
 * STARTING (a failed rollout), while UNHEALTHY means a replica that served and broke (replaced).
 * Pure.
 */
public record HealthTracker(Status status, int passesInARow, int failuresInARow) {
    public static final HealthTracker START = new HealthTracker(Status.STARTING, 0, 0);

    public enum Status { STARTING, HEALTHY, UNHEALTHY }

    /** Until the first pass, checks repeat at most this often, so a container serves soon after it listens. */
    static final long STARTUP_RETRY_MILLIS = 250;

    public HealthTracker next(boolean passed, HealthTiming timing) {
        if (passed) {
            int passes = passesInARow + 1;
            return new HealthTracker(passes >= timing.healthyAfter() ? Status.HEALTHY : status, passes, 0);
        }
        int failures = failuresInARow + 1;
        boolean broke = status != Status.STARTING && failures >= timing.unhealthyAfter();
        return new HealthTracker(broke ? Status.UNHEALTHY : status, 0, failures);
    }

    /** When the next check is due after this one: the interval, or sooner while the container has not passed yet. */
    public long nextCheckMillis(HealthTiming timing) {
        return status == Status.STARTING ? Math.min(timing.intervalMillis(), STARTUP_RETRY_MILLIS) : timing.intervalMillis();
    }
}
