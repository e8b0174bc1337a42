package dev.berth.deployer;

import java.time.Duration;
import java.util.Objects;

/**
 * One app as its current revision wants it to run.
 *
 * @param team the owning team's name
 * @param app the app's name, unique within the team
 * @param revision the revision to run
 * @param replicas how many replicas, at least 0
 * @param resources what each replica reserves on its host
 * @param strategy how this revision replaces older ones
 * @param healthTimeout how long a new replica may stay {@link Replica.State#STARTING} before the
 *     health gate fails, and how long a replica may stay {@link Replica.State#UNHEALTHY} before it is replaced
 */
public record Desired(String team, String app, long revision, int replicas, Resources resources, Strategy strategy,
                      Duration healthTimeout) {
    /** Checks every field. */
    public Desired {
        if (team == null || team.isBlank() || app == null || app.isBlank()) {
            throw new IllegalArgumentException("team and app must be named");
        }
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas cannot be negative: " + replicas);
        }
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(strategy, "strategy");
        if (healthTimeout == null || healthTimeout.isNegative() || healthTimeout.isZero()) {
            throw new IllegalArgumentException("healthTimeout must be positive");
        }
    }

    /**
     * The app's qualified name, {@code team/app}: what {@link Replica#app()} and the steps carry.
     *
     * @return {@code team + "/" + app}
     */
    public String name() {
        return team + "/" + app;
    }
}
