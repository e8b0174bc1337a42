package dev.berth.platform.hosts;

import dev.berth.agent.protocol.PublishedPort;
import java.time.Instant;
import java.util.List;

/**
 * A host as people see it. {@code alive} means its agent sent a heartbeat within the heartbeat
 * timeout; a host that registered but never reported is not alive. {@code memoryBytes} and
 * {@code cpuMillis} are what placement counts with: what its agent {@code reported}, capped at
 * {@code cap}, the capacity it registered with. {@code drain} is set while it drains; {@code edge}
 * while its agent runs an edge.
 */
public record Host(String id, String hostname, long memoryBytes, int cpuMillis, Capacity cap, Capacity reported,
                   String agentVersion, Instant registeredAt, Instant lastHeartbeatAt, boolean alive, Drain drain,
                   List<Container> containers, Edge edge) {

    /**
     * The host's edge: where routed host names should point, and whether its proxy serves the
     * newest routes ({@code current}) or why not ({@code error}).
     */
    public record Edge(String address, boolean current, String error) {
    }

    /** Memory and CPU of a host. */
    public record Capacity(long memoryBytes, int cpuMillis) {
    }

    /** Since when, and on whose word, the host drains. */
    public record Drain(Instant since, String by) {
    }

    /** Whether the host drains: no new replicas, and its replicas move to other hosts. */
    public boolean draining() {
        return drain != null;
    }

    /**
     * A container as the host's agent last reported it, with where its published ports are served;
     * {@code error} says why it could not be started while its state is {@code failed}.
     */
    public record Container(String name, String app, String state, Integer exitCode, boolean oomKilled, String health,
                            int restarts, List<PublishedPort> published, String error, Instant reportedAt) {
    }
}
