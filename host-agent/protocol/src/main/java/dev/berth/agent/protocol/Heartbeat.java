package dev.berth.agent.protocol;

import java.util.List;

/**
 * What an agent reports every few seconds ({@code POST /agent/v1/heartbeat}): its capacity now and
 * every container it runs. The list is complete: a container missing from it is gone.
 *
 * @param version wire-format version, {@link #VERSION}
 * @param peerAddress {@code host:port} where other agents reach this agent's peer listener (mutual
 *                    TLS) for app-to-app connections; null when it has none
 * @param edge the state of this host's edge, when its agent runs with {@code --edge}; null otherwise
 */
public record Heartbeat(int version, HostCapacity capacity, List<ContainerStatus> containers, String peerAddress,
                        EdgeStatus edge) {
    public static final int VERSION = 1;

    public Heartbeat {
        containers = containers == null ? List.of() : List.copyOf(containers);
    }

    /** A heartbeat of a host that is not an edge. */
    public Heartbeat(int version, HostCapacity capacity, List<ContainerStatus> containers, String peerAddress) {
        this(version, capacity, containers, peerAddress, null);
    }
}
