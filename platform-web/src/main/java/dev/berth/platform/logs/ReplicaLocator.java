package dev.berth.platform.logs;

import java.util.Optional;

/**
 * Finds where a replica (a container named by the deployer's replica id) runs, so people can read
 * its logs through its team and app. {@link DeployedReplicaLocator} reads the deployer's record.
 */
public interface ReplicaLocator {
    Optional<ReplicaLocation> locate(String replicaId);
}
