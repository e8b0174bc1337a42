/**
 * Deployments: the wiring between recorded revisions, the pure planner in {@code dev.berth.deployer}
 * and the host agents. A revision creates deployments for the apps it changes; the
 * {@link dev.berth.platform.deployments.Reconciler} plans a round and applies it as replica rows and
 * host generations; agents long-poll their {@link dev.berth.platform.deployments.Assignments} and
 * report back through heartbeats, which move the replicas' observed states.
 */
package dev.berth.platform.deployments;
