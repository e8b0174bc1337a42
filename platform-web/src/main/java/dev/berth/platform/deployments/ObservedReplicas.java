package dev.berth.platform.deployments;

import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.deployer.Replica;
import dev.berth.deployer.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Replica rows and what hosts report, to what the planner observes. Pure.
 *
 * <p>A replica assigned but not yet reported counts as {@link Replica.State#STARTING} since it was
 * created, so the health timeout covers pulling its image too; a report moves it as
 * {@link ObservedState} says, and its {@code since} only when the state changes.
 */
public final class ObservedReplicas {
    private ObservedReplicas() {
    }

    /**
     * What one heartbeat changes about a replica.
     *
     * @param state the observed state from now on
     * @param since when it entered that state: the heartbeat's time when it changed, else as before
     * @param firstReport whether this heartbeat is the first that lists it
     * @param startError why its host could not start it, when this heartbeat says so anew; else null
     */
    public record Change(String replicaId, Replica.State state, Instant since, boolean firstReport, String startError) {
    }

    /**
     * The changes a heartbeat makes to the replicas assigned to its host; replicas it leaves as
     * they were are not listed.
     *
     * @param assigned the host's replicas that are part of its assignment
     * @param reported every container the heartbeat lists
     * @param at when the heartbeat arrived
     */
    public static List<Change> changes(List<ReplicaRow> assigned, List<ContainerStatus> reported, Instant at) {
        Map<String, ContainerStatus> byName = reported.stream()
                .collect(Collectors.toMap(ContainerStatus::name, Function.identity(), (a, b) -> a));
        var out = new ArrayList<Change>();
        for (var r : assigned) {
            var status = byName.get(r.container());
            boolean first = status != null && r.firstReportedAt() == null;
            var state = ObservedState.of(status, r.firstReportedAt() != null, r.state());
            String error = ObservedState.startError(status);
            boolean newError = error != null && !error.equals(r.startError());
            if (state != r.state() || first || newError) {
                out.add(new Change(r.id(), state, state != r.state() ? at : r.since(), first, newError ? error : null));
            }
        }
        return out;
    }

    /** The planner's view of replica rows: qualified app, revision, host, observed state and what each reserves. */
    public static List<Replica> planned(List<ReplicaRow> rows, Function<ReplicaRow, Resources> reserved) {
        return rows.stream().map(r -> new Replica(r.id(), r.qualifiedApp(), r.revision(), r.hostId(), r.state(), r.since(),
                reserved.apply(r))).toList();
    }
}
