package dev.berth.platform.deployments;

/**
 * Published (as a Spring application event) after a committed change to an app: a deployment
 * created or ended, replicas started or stopped, a replica's observed state moved, a secret set.
 * The dashboard listens to refresh what it shows; listeners must not block.
 */
public record AppChanged(String team, String app) {
}
