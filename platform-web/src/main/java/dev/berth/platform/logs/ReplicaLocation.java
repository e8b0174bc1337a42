package dev.berth.platform.logs;

/** Where a replica runs and whose it is: the host keeping its logs, and its team and app. */
public record ReplicaLocation(String hostId, String team, String app) {
}
