package dev.berth.platform.deployments;

import dev.berth.deployer.Replica;
import java.time.Instant;

/**
 * One replica row: a replica that is, or was, part of a host's assignment.
 *
 * @param stopRequestedAt null while it is part of its host's assignment
 * @param state what the host's heartbeats say, {@code since} when it became that
 * @param firstReportedAt when a heartbeat first listed it; null until then
 * @param serving whether its host lets it take traffic once healthy; false for a blue-green
 *                rollout's replicas until the traffic switch
 * @param startError the last reason its host gave for not being able to start it, kept after it
 *                   stopped; null if it never failed to start
 * @param startFailedAt when that was reported
 */
public record ReplicaRow(String id, String container, long teamId, String team, String app, long revision, long deploymentId,
                         String hostId, Instant createdAt, Instant stopRequestedAt, String stopReason, Replica.State state,
                         Instant since, Instant firstReportedAt, boolean serving, String startError, Instant startFailedAt) {
    /** The planner's name of its app, {@code team/app}. */
    public String qualifiedApp() {
        return team + "/" + app;
    }
}
