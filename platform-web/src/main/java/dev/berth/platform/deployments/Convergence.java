package dev.berth.platform.deployments;

import dev.berth.deployer.Replica;
import java.util.List;

/** Whether an app runs a revision as asked: exactly the wanted replicas, all of that revision and healthy. Pure. */
final class Convergence {
    private Convergence() {
    }

    /** @param live the app's replicas that are part of an assignment */
    static boolean runsAsAsked(List<ReplicaRow> live, long revision, int want) {
        return live.size() == want
                && live.stream().allMatch(r -> r.revision() == revision && r.state() == Replica.State.HEALTHY);
    }
}
