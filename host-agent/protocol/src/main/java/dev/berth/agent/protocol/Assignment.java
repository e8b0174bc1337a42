package dev.berth.agent.protocol;

import java.util.List;

/**
 * Everything the platform wants one host to run ({@code GET /agent/v1/assignments?after=N}): the
 * full set, not a change. The agent converges on it level-triggered: it starts what is missing,
 * replaces what differs, stops and removes platform containers that are not listed, and leaves
 * containers started by hand alone. {@code generation} grows with every change, so an agent that
 * missed several gets the newest whole.
 *
 * @param version wire-format version, {@link #VERSION}
 * @param hostId the host this is for
 * @param generation this set's number; the agent long-polls with {@code after} set to the last one it applied
 * @param containers the containers, each named uniquely on the host
 * @param connects for every app and port this host's containers connect to, the replicas serving it now
 * @param grants who may connect to this host's replicas through its peer listener
 * @param edge what this host's edge serves, when its agent runs with {@code --edge}; null for other hosts
 */
public record Assignment(int version, String hostId, long generation, List<AssignedContainer> containers,
                         List<ConnectTarget> connects, List<ConnectGrant> grants, EdgeAssignment edge) {
    public static final int VERSION = 1;

    public Assignment {
        containers = containers == null ? List.of() : List.copyOf(containers);
        connects = connects == null ? List.of() : List.copyOf(connects);
        grants = grants == null ? List.of() : List.copyOf(grants);
    }

    /** An assignment for a host that is not an edge. */
    public Assignment(int version, String hostId, long generation, List<AssignedContainer> containers,
                      List<ConnectTarget> connects, List<ConnectGrant> grants) {
        this(version, hostId, generation, containers, connects, grants, null);
    }

    /** An assignment of containers only (no app connects to another). */
    public Assignment(int version, String hostId, long generation, List<AssignedContainer> containers) {
        this(version, hostId, generation, containers, List.of(), List.of(), null);
    }
}
