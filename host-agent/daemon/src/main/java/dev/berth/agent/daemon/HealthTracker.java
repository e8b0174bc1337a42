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
    /**
     * The re-check after a first failed attempt: a process usually listens within milliseconds of
     * starting, so a fixed 250 ms would mostly be spent waiting. It doubles with each failure up to
     * {@link #STARTUP_RETRY_MILLIS}, so a slow starter costs a handful of extra attempts.
     */
    static final long FIRST_RETRY_MILLIS = 10;

    public HealthTracker next(boolean passed, HealthTiming timing) {
        if (passed) {
            int passes = passesInARow + 1;
            return new HealthTracker(passes >= timing.healthyAfter() ? Status.HEALTHY : status, passes, 0);
        }
        int failures = failuresInARow + 1;
        boolean broke = status != Status.STARTING && failures >= timing.unhealthyAfter();
        return new HealthTracker(broke ? Status.UNHEALTHY : status, 0, failures);
    }

    /**
     * When the next check is due after this one: the interval; sooner while the container has not
     * passed yet, from {@link #FIRST_RETRY_MILLIS} doubling per failure; {@link #STARTUP_RETRY_MILLIS}
     * between passes that are not yet enough.
     */
    public long nextCheckMillis(HealthTiming timing) {
        if (status != Status.STARTING) return timing.intervalMillis();
        long retry = passesInARow > 0 ? STARTUP_RETRY_MILLIS
                : Math.min(STARTUP_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.clamp(failuresInARow - 1, 0, 5));
        return Math.min(timing.intervalMillis(), retry);
    }
}
