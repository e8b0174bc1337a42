package dev.berth.platform.deployments;

import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.deployer.Replica.State;

/**
 * A replica's state as the planner counts it, from what its host reported. Pure.
 *
 * <ul>
 *   <li>running with no health check, or reported {@code healthy}: {@link State#HEALTHY};</li>
 *   <li>running and {@code unhealthy}: {@link State#UNHEALTHY}; running and {@code starting}: {@link State#STARTING};</li>
 *   <li>{@code exited} or {@code stopped}: {@link State#EXITED};</li>
 *   <li>any other runtime state ({@code created}, {@code unknown}): {@link State#STARTING}, so the
 *       health timeout still applies;</li>
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
     */
    public static State of(ContainerStatus reported, boolean reportedBefore) {
        if (reported == null) return reportedBefore ? State.EXITED : State.STARTING;
        return switch (reported.state()) {
            case "running" -> reported.health() == null ? State.HEALTHY : switch (reported.health()) {
                case "healthy" -> State.HEALTHY;
                case "unhealthy" -> State.UNHEALTHY;
                default -> State.STARTING;
            };
            case "exited", "stopped" -> State.EXITED;
            default -> State.STARTING;
        };
    }
}
