package dev.berth.agent.protocol;

import java.time.Instant;
import java.util.Objects;

/**
 * A destination the agent's firewall refused one container, with the kernel's count of dropped
 * packets since the container's rules were made.
 *
 * @param destination the address, as {@code 203.0.113.9} or {@code 2001:db8::1}
 * @param protocol {@code tcp}, {@code udp}, {@code icmp}...
 * @param port the destination port, 0 where the protocol has none
 * @param count packets dropped
 * @param lastSeen when the agent first saw the count, or last saw it grow
 */
public record RefusedDestination(String destination, String protocol, int port, long count, Instant lastSeen) {
    public RefusedDestination {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(protocol, "protocol");
    }
}
