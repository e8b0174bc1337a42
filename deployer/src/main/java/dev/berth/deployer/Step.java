package dev.berth.deployer;

/** One thing the caller should do, or know, to bring the observed state closer to the desired one. */
public sealed interface Step {
    /**
     * Start a new replica.
     *
     * @param app the app's qualified name
     * @param revision the revision to start
     * @param hostId the host to start it on
     * @param replicaId the id to give it
     */
    record Start(String app, long revision, String hostId, String replicaId) implements Step {
    }

    /**
     * Stop and remove a replica.
     *
     * @param replicaId the replica
     * @param reason why, for people
     */
    record Stop(String replicaId, String reason) implements Step {
    }

    /**
     * Blue-green: move the app's published ports to the replicas of {@code revision}, all at once.
     * The caller must finish it before the {@link Stop}s that follow it in the plan.
     *
     * @param app the app's qualified name
     * @param revision the revision that now serves
     */
    record SwitchTraffic(String app, long revision) implements Step {
    }

    /**
     * Replicas that fit on no live host.
     *
     * @param app the app's qualified name
     * @param revision the revision that could not be placed
     * @param reason what is short, and on which host
     */
    record Unplaceable(String app, long revision, String reason) implements Step {
    }

    /**
     * Nothing to do for this app yet: the planner waits, typically for health checks.
     *
     * @param app the app's qualified name
     * @param reason what it waits for
     */
    record Wait(String app, String reason) implements Step {
    }

    /**
     * A health gate timed out: the rollout does not advance. The caller decides whether to roll back
     * (by desiring the previous revision again).
     *
     * @param app the app's qualified name
     * @param revision the revision that failed
     * @param reason which replica, and for how long
     */
    record Failed(String app, long revision, String reason) implements Step {
    }
}
