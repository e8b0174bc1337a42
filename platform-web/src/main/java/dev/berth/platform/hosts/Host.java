package dev.berth.platform.hosts;

import dev.berth.agent.protocol.PublishedPort;
import java.time.Instant;
import java.util.List;

/**
 * A host as people see it. {@code alive} means its agent sent a heartbeat within the heartbeat
 * timeout; a host that registered but never reported is not alive.
 */
public record Host(String id, String hostname, long memoryBytes, int cpuMillis, String agentVersion, Instant registeredAt,
                   Instant lastHeartbeatAt, boolean alive, List<Container> containers) {

    /**
     * A container as the host's agent last reported it, with where its published ports are served;
     * {@code error} says why it could not be started while its state is {@code failed}.
     */
    public record Container(String name, String app, String state, Integer exitCode, boolean oomKilled, String health,
                            int restarts, List<PublishedPort> published, String error, Instant reportedAt) {
    }
}
