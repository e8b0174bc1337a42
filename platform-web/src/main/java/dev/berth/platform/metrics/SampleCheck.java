package dev.berth.platform.metrics;

import dev.berth.agent.protocol.ContainerMetrics;

/**
 * What the platform accepts of a reported sample. An agent is trusted with its own containers but
 * not with the database's integrity: a sample with a negative or absurd number is dropped (the rest
 * of the heartbeat still counts). Pure.
 */
public final class SampleCheck {
    /** Far beyond any real host (1 PiB), yet far from overflowing sums over an app's replicas. */
    static final long MAX_BYTES = 1L << 50;
    /** About 36 core-years in nanoseconds: beyond any one run of a container; sums are taken as doubles. */
    static final long MAX_CPU_NANOS = 1L << 60;
    /** Network counters grow without bound over a long run: 1 EiB. */
    static final long MAX_COUNTER_BYTES = 1L << 60;
    static final long MAX_PIDS = 1L << 22; // the kernel's pid_max ceiling

    private SampleCheck() {
    }

    /** Why {@code m} is not accepted, or null when it is. */
    public static String refusal(ContainerMetrics m) {
        if (m.cpuNanos() < 0 || m.cpuNanos() > MAX_CPU_NANOS) return "cpuNanos " + m.cpuNanos() + " is out of range";
        if (m.memoryBytes() < 0 || m.memoryBytes() > MAX_BYTES) return "memoryBytes " + m.memoryBytes() + " is out of range";
        if (m.memoryLimitBytes() != null && (m.memoryLimitBytes() < 0 || m.memoryLimitBytes() > MAX_BYTES)) {
            return "memoryLimitBytes " + m.memoryLimitBytes() + " is out of range";
        }
        if (m.pids() < 0 || m.pids() > MAX_PIDS) return "pids " + m.pids() + " is out of range";
        if (m.rxBytes() < 0 || m.rxBytes() > MAX_COUNTER_BYTES) return "rxBytes " + m.rxBytes() + " is out of range";
        if (m.txBytes() < 0 || m.txBytes() > MAX_COUNTER_BYTES) return "txBytes " + m.txBytes() + " is out of range";
        return null;
    }
}
