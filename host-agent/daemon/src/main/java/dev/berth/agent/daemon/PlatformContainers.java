package dev.berth.agent.daemon;

import dev.berth.agent.protocol.AssignedContainer;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's containers as the {@link AssignmentApplier} sees them: what is held, and starting,
 * retiring and letting into traffic the platform's. Nothing else of the agent is within its reach.
 */
interface PlatformContainers {
    /** What the assignment plan needs to know of every container held now (hand-started ones included). */
    List<AssignmentPlan.Held> held();

    /** The names of the containers the platform started. */
    Set<String> platformNames();

    /**
     * Starts a container the platform assigned: its secrets join the environment, its fingerprint
     * is kept, and it takes traffic once ready only if the assignment lets it serve.
     */
    void startAssigned(AssignedContainer assigned, String fingerprint) throws IOException;

    /** Takes a container out of service (draining its connections), stops and removes it. */
    void retire(String name) throws IOException;

    /** Lets platform containers into traffic or keeps them out, restarting none; other names are ignored. */
    void admit(Map<String, Boolean> admit);
}
