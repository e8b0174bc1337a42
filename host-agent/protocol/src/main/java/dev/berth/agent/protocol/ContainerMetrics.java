package dev.berth.agent.protocol;

/**
 * One sample of a container's resource use, read by its agent from the container's cgroup and
 * network namespace (every 10 s) and sent with the next heartbeat. Counters are cumulative since
 * the container's current run started, so a consumer takes differences between samples and treats
 * a decrease as a new run. The platform checks every value again; this record takes what it is given.
 *
 * @param cpuNanos CPU time used, cumulative, in nanoseconds
 * @param memoryBytes memory in use now, in bytes
 * @param memoryLimitBytes the memory limit, in bytes; null when the container has none
 * @param pids processes and threads now
 * @param rxBytes bytes received on the container's interfaces other than loopback, cumulative
 * @param txBytes bytes sent on them, cumulative
 */
public record ContainerMetrics(long cpuNanos, long memoryBytes, Long memoryLimitBytes, long pids, long rxBytes,
                               long txBytes) {
}
