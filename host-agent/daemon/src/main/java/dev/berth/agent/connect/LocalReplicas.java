package dev.berth.agent.connect;

import java.util.OptionalLong;

/** The containers this agent holds, as connects dial them: a backend on this host is reached in its own namespace. */
public interface LocalReplicas {
    /**
     * The process id of {@code container} when the agent holds it as a platform container that
     * takes traffic now (admitted, running, healthy if checked, not stopping); empty otherwise.
     */
    OptionalLong servingPid(String container);
}
