package dev.berth.platform.apps;

import dev.berth.agent.protocol.IsolationCheck;
import java.time.Instant;
import java.util.List;

/**
 * The isolation report a host's agent measured on a replica's live process.
 *
 * @param replica the replica
 * @param hostId its host
 * @param hostname its host's name
 * @param reportedAt when the host last reported it; null until then
 * @param passed true when every check passed; false when one failed or none was measured yet
 * @param checks each check: what was expected and what the agent saw
 */
public record IsolationView(String replica, String hostId, String hostname, Instant reportedAt, boolean passed,
                            List<IsolationCheck> checks) {
    public IsolationView {
        checks = List.copyOf(checks);
    }
}
