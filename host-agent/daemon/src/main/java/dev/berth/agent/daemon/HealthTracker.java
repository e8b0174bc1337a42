package dev.berth.agent.daemon;

import dev.berth.agent.protocol.HealthTiming;

/**
 * A container's health from its check results, counted as its {@link HealthTiming} says: STARTING
 * until {@code healthyAfter} passes in a row, then HEALTHY; UNHEALTHY after {@code unhealthyAfter}
 * failures in a row (also while still starting), HEALTHY again after {@code healthyAfter} passes
 * in a row. Pure.
 */
public record HealthTracker(Status status, int passesInARow, int failuresInARow) {
    public static final HealthTracker START = new HealthTracker(Status.STARTING, 0, 0);

    public enum Status { STARTING, HEALTHY, UNHEALTHY }

    public HealthTracker next(boolean passed, HealthTiming timing) {
        if (passed) {
            int passes = passesInARow + 1;
            return new HealthTracker(passes >= timing.healthyAfter() ? Status.HEALTHY : status, passes, 0);
        }
        int failures = failuresInARow + 1;
        return new HealthTracker(failures >= timing.unhealthyAfter() ? Status.UNHEALTHY : status, 0, failures);
    }
}
