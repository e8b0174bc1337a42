package dev.berth.platform.hosts;

import java.time.Instant;
import java.util.List;

/**
 * A host as people see it. {@code alive} means its agent sent a heartbeat within the heartbeat
 * timeout; a host that registered but never reported is not alive.
 */
public record Host(String id, String hostname, long memoryBytes, int cpuMillis, String agentVersion, Instant registeredAt,
                   Instant lastHeartbeatAt, boolean alive, List<Container> containers) {

    /** A container as the host's agent last reported it. */
    public record Container(String name, String app, String state, Integer exitCode, boolean oomKilled, String health,
                            Instant reportedAt) {
    }
}
