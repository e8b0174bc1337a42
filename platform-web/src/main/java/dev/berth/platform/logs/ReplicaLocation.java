package dev.berth.platform.logs;

/** Where a replica runs and whose it is: the host keeping its logs, its container's name there, and its team and app. */
public record ReplicaLocation(String hostId, String container, String team, String app) {
}
