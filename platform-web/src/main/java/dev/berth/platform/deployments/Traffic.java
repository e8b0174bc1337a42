package dev.berth.platform.deployments;

import dev.berth.deployer.Plan;
import dev.berth.deployer.Step;
import dev.berth.deployer.Strategy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which replicas take traffic on their app's published ports once healthy. Pure.
 *
 * <p>Every replica does, except those a blue-green rollout starts while replicas of another
 * revision of the app keep running: they run and pass their health checks out of traffic, so old
 * and new never mix. The plan's {@link Step.SwitchTraffic} lets them in, in the same round (one
 * transaction, one generation per host) as the {@link Step.Stop}s of the old ones, so each agent
 * switches in one step. An app left with one revision however it got there (its old replicas
 * exited or their host was lost) is let in too, rather than serve nothing.
 */
final class Traffic {
    private Traffic() {
    }

    /**
     * Whether a replica the plan starts serves as soon as it is healthy.
     *
     * @param strategy its app's rollout strategy
     * @param live the replica rows the plan was made from
     */
    static boolean servesAtStart(Strategy strategy, Step.Start start, Plan plan, List<ReplicaRow> live) {
        return servesAtStart(strategy, start, remaining(plan, live));
    }

    /** As above, given the plan's {@link #remaining} rows: a round asks this for every start, so it groups them once. */
    static boolean servesAtStart(Strategy strategy, Step.Start start, Map<String, List<ReplicaRow>> remaining) {
        if (!(strategy instanceof Strategy.BlueGreen)) return true;
        return remaining.getOrDefault(start.app(), List.of()).stream().allMatch(r -> r.revision() == start.revision());
    }

    /** Replicas held out of traffic that the plan lets in: those of a switch's revision, and those of an app left with one revision. */
    static List<ReplicaRow> letIn(Plan plan, List<ReplicaRow> live) {
        return letIn(plan, remaining(plan, live));
    }

    /** As above, given the plan's {@link #remaining} rows. */
    static List<ReplicaRow> letIn(Plan plan, Map<String, List<ReplicaRow>> remaining) {
        var switched = new HashSet<String>();
        plan.steps(Step.SwitchTraffic.class).forEach(s -> switched.add(s.app() + "@" + s.revision()));
        var out = new ArrayList<ReplicaRow>();
        remaining.forEach((app, rows) -> {
            boolean oneRevision = rows.stream().map(ReplicaRow::revision).distinct().count() == 1;
            for (var r : rows) {
                if (!r.serving() && (oneRevision || switched.contains(app + "@" + r.revision()))) out.add(r);
            }
        });
        return out;
    }

    /** The rows the plan keeps (it stops none of them), by qualified app. */
    static Map<String, List<ReplicaRow>> remaining(Plan plan, List<ReplicaRow> live) {
        Set<String> stopping = new HashSet<>();
        plan.steps(Step.Stop.class).forEach(s -> stopping.add(s.replicaId()));
        var out = new LinkedHashMap<String, List<ReplicaRow>>();
        for (var r : live) {
            if (!stopping.contains(r.id())) out.computeIfAbsent(r.qualifiedApp(), k -> new ArrayList<>()).add(r);
        }
        return out;
    }
}
