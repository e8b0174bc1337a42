package dev.berth.platform.deployments;

import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.deployer.Replica.State;

/**
 * A replica's state as the planner counts it, from what its host reported. Pure.
 *
 * <ul>
 *   <li>running with no health check, or reported {@code healthy}: {@link State#HEALTHY};</li>
 *   <li>running and {@code unhealthy}: {@link State#UNHEALTHY}; running and {@code starting}: {@link State#STARTING};</li>
 *   <li>{@code exited}, {@code stopped} or {@code failed} (the agent could not start it: bad image,
 *       port in use...) after the replica had served (it was healthy or unhealthy): {@link State#EXITED},
 *       so the planner replaces it, possibly on another host;</li>
 *   <li>the same before it ever served: {@link State#STARTING}, its {@code since} unchanged. The agent
 *       restarts or retries it with backoff, and a revision whose replicas crash or cannot start
 *       fails its health gate after {@code deploy.healthTimeout} (and rolls back) instead of being
 *       replaced round after round with the clock starting over;</li>
 *   <li>{@code starting} (the agent prepares it, such as pulling its image) and {@code created}
 *       (runc made it, its process has not run yet): {@link State#STARTING}, so the health timeout applies;</li>
 *   <li>any other runtime state ({@code unknown}: runc could not say, and the agent replaces a
 *       container it lost track of on its own; {@code paused}): {@link State#STARTING} as well;</li>
 *   <li>not in the report: {@link State#STARTING} while it never was (assigned, not started yet),
 *       {@link State#EXITED} once it had been, since a heartbeat lists every container the host runs.</li>
 * </ul>
 */
public final class ObservedState {
    private ObservedState() {
    }

    /**
     * @param reported the container's status in the latest heartbeat, or null when it is not listed
     * @param reportedBefore whether an earlier heartbeat listed it
     * @param before the state the replica was counted in until now
     */
    public static State of(ContainerStatus reported, boolean reportedBefore, State before) {
        if (reported == null) return reportedBefore ? State.EXITED : State.STARTING;
        return switch (reported.state()) {
            case "running" -> reported.health() == null ? State.HEALTHY : switch (reported.health()) {
                case "healthy" -> State.HEALTHY;
                case "unhealthy" -> State.UNHEALTHY;
                default -> State.STARTING;
            };
            case "exited", "stopped", "failed" -> served(before) ? State.EXITED : State.STARTING;
            default -> State.STARTING;
        };
    }

    private static boolean served(State before) {
        return before == State.HEALTHY || before == State.UNHEALTHY || before == State.EXITED;
    }

    /** Why the agent could not start the container, when it reports a failed start that says so; else null. */
    public static String startError(ContainerStatus reported) {
        return reported != null && "failed".equals(reported.state()) ? reported.error() : null;
    }
}
