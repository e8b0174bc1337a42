/**
 * Deployer: the pure rollout planner, {@code plan(desired, observed, hosts, now) -> steps}. No I/O
 * and no framework types: values in, values out. Depends on nothing else in Berth.
 */
package dev.berth.deployer;
