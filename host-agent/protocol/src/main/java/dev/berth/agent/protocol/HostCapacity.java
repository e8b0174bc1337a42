package dev.berth.agent.protocol;

/**
 * What a host offers to containers: memory in bytes, CPU in thousandths of a core.
 */
public record HostCapacity(long memoryBytes, int cpuMillis) {
    public HostCapacity {
        if (memoryBytes < 0) throw new IllegalArgumentException("memoryBytes must not be negative");
        if (cpuMillis < 0) throw new IllegalArgumentException("cpuMillis must not be negative");
    }
}
