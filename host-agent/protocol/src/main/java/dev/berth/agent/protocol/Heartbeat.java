package dev.berth.agent.protocol;

import java.util.List;

/**
 * What an agent reports every few seconds ({@code POST /agent/v1/heartbeat}): its capacity now and
 * every container it runs. The list is complete: a container missing from it is gone.
 *
 * @param version wire-format version, {@link #VERSION}
 */
public record Heartbeat(int version, HostCapacity capacity, List<ContainerStatus> containers) {
    public static final int VERSION = 1;

    public Heartbeat {
        containers = containers == null ? List.of() : List.copyOf(containers);
    }
}
