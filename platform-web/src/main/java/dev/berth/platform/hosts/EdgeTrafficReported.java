package dev.berth.platform.hosts;

import dev.berth.agent.protocol.EdgeStatus;
import java.time.Instant;
import java.util.List;

/**
 * Published after a heartbeat of an edge host is stored: each app's running totals at that edge
 * since its agent started (checked: named {@code team/app}, each once, not negative). Only the
 * platform instance that took the heartbeat hears of it.
 */
public record EdgeTrafficReported(String hostId, List<EdgeStatus.AppRequests> traffic, Instant at) {
    public EdgeTrafficReported {
        traffic = List.copyOf(traffic);
    }
}
