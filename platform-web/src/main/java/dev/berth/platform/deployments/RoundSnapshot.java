package dev.berth.platform.deployments;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything one reconcile round decides from, read at its start under the reconciler's lock.
 *
 * @param heartbeatTimeout how long a host counts as alive after its last heartbeat
 * @param hosts the hosts that were not removed
 * @param live every replica that is part of an assignment, by id
 * @param newest the newest deployment of every app, by team and app
 * @param lastSucceeded per app, its newest succeeded deployment of a revision other than its newest
 *                      deployment's (where an auto-rollback goes, and what runs while a secret is missing)
 * @param revisions the app revisions the deployments above and the live replicas name
 * @param secretsSet per app of {@code newest}, the names of its secrets that are set
 */
record RoundSnapshot(Duration heartbeatTimeout, List<HostLine> hosts, List<ReplicaRow> live, List<DeploymentStore.Row> newest,
                     Map<AppKey, DeploymentStore.Row> lastSucceeded, AppRevisions.Lookup revisions,
                     Map<AppKey, Set<String>> secretsSet) {

    /**
     * A host as the reconciler reads it.
     *
     * @param memoryBytes what placement counts with (see {@code HostStore.Row})
     * @param lastHeartbeatAt null until its first heartbeat
     * @param lostAt set while its heartbeats are missing
     */
    record HostLine(String id, String hostname, long memoryBytes, int cpuMillis, Instant lastHeartbeatAt, Instant lostAt,
                    boolean draining) {
    }

    /** One app of one team. */
    record AppKey(long teamId, String app) {
        static AppKey of(DeploymentStore.Row d) {
            return new AppKey(d.teamId(), d.app());
        }
    }
}
