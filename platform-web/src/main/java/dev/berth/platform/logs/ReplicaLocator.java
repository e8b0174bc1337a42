package dev.berth.platform.logs;

import java.util.Optional;

/**
 * Finds where a replica (a container named by the deployer's replica id) runs, so people can read
 * its logs through its team and app. The deployer's record of replicas is the authority; until it
 * provides one, {@link HostContainersReplicaLocator} reads what agents report in heartbeats.
 */
public interface ReplicaLocator {
    Optional<ReplicaLocation> locate(String replicaId);
}
