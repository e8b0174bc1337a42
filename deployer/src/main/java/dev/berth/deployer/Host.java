package dev.berth.deployer;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A host run by an agent: its total capacity, when its agent last reported, and whether it drains.
 *
 * @param id the host's id
 * @param memoryBytes memory that replicas may reserve, in bytes
 * @param cpuMillis CPU that replicas may reserve, in millicores
 * @param lastHeartbeat when the agent last sent a heartbeat
 * @param draining true while the host drains: it takes no new replicas, and its replicas move to
 *                 other hosts, each stopped once enough replicas of its revision are healthy elsewhere
 */
public record Host(String id, long memoryBytes, int cpuMillis, Instant lastHeartbeat, boolean draining) {
    /**
     * A host that does not drain.
     *
     * @param id the host's id
     * @param memoryBytes memory that replicas may reserve, in bytes
     * @param cpuMillis CPU that replicas may reserve, in millicores
     * @param lastHeartbeat when the agent last sent a heartbeat
     */
    public Host(String id, long memoryBytes, int cpuMillis, Instant lastHeartbeat) {
        this(id, memoryBytes, cpuMillis, lastHeartbeat, false);
    }

    /** Checks every field. */
    public Host {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a host needs an id");
        }
        if (memoryBytes < 0 || cpuMillis < 0) {
            throw new IllegalArgumentException("host " + id + " cannot have negative capacity");
        }
        Objects.requireNonNull(lastHeartbeat, "lastHeartbeat");
    }

    /**
     * Whether the host counts as alive: its last heartbeat is at most {@code heartbeatTimeout} old.
     *
     * @param now the planning instant
     * @param heartbeatTimeout how long a host may stay silent
     * @return true when {@code now - lastHeartbeat <= heartbeatTimeout}
     */
    public boolean aliveAt(Instant now, Duration heartbeatTimeout) {
        return !now.isAfter(lastHeartbeat.plus(heartbeatTimeout));
    }
}
