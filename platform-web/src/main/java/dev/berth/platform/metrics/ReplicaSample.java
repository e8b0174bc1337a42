package dev.berth.platform.metrics;

import java.time.Instant;

/**
 * One stored sample of a replica at some resolution: counters cumulative per run of its container,
 * {@code at} the start of its slot or bucket.
 */
public record ReplicaSample(String replicaId, Instant at, long cpuNanos, long memoryBytes, Long memoryLimitBytes,
                            long pids, long rxBytes, long txBytes, int restarts) {
}
