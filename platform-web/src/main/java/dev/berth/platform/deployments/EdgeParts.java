package dev.berth.platform.deployments;

import dev.berth.agent.protocol.EdgeAssignment;
import java.util.Optional;

/**
 * The edge part of a host's assignment, from the feature that knows routes and certificates
 * (the {@code edge} package), so that assignments need not know them.
 */
public interface EdgeParts {
    /** What {@code hostId} serves as an edge; empty when it is no edge. Called inside the assignment's snapshot. */
    Optional<EdgeAssignment> of(String hostId);
}
