/**
 * Deployments: the wiring between recorded revisions, the pure planner in {@code dev.berth.deployer}
 * and the host agents. A revision creates deployments for the apps it changes (every deployment
 * starts and ends through one door); the {@link dev.berth.platform.deployments.Reconciler} loads a
 * round's snapshot, decides the round purely and applies it as replica rows, host generations and
 * deployment outcomes; agents long-poll their {@link dev.berth.platform.deployments.Assignments} and
 * report back through heartbeats, which move the replicas' observed states. Other features read
 * through {@link dev.berth.platform.deployments.AppDeployments}; the stores are this feature's own.
 */
package dev.berth.platform.deployments;
