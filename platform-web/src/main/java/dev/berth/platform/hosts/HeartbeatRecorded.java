package dev.berth.platform.hosts;

import dev.berth.agent.protocol.ContainerStatus;
import java.time.Instant;
import java.util.List;

/**
 * Published inside the transaction that stores a heartbeat, so listeners that derive state from
 * it (the replicas' observed states) commit with it.
 *
 * @param hostId the reporting host
 * @param containers every container it runs, as reported
 * @param at when the platform received it
 */
public record HeartbeatRecorded(String hostId, List<ContainerStatus> containers, Instant at) {
    public HeartbeatRecorded {
        containers = List.copyOf(containers);
    }
}
