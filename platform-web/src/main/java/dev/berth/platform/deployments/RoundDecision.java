package dev.berth.platform.deployments;

import dev.berth.deployer.Plan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything one reconcile round will do, decided from its {@link RoundSnapshot} before anything is
 * written; {@link RoundApplier} carries it out in this order.
 *
 * @param now the round's time
 * @param plan what the planner said
 * @param frozen apps left as they are this round (their definition cannot be read), with why, by qualified name
 * @param hosts what happens to hosts, in id order: first their standing, then their generation
 * @param wake whether the round changes some host's assignment (a removed one's too), so waiting agents are woken
 * @param writes replica starts and stops, and failed deployments, in the plan's order
 * @param letIn the replicas held out of traffic that now take it
 * @param settlements what each app's newest in-progress deployment becomes: succeeded, or a progress message
 * @param touched the apps the plan has a step for, by qualified name
 */
record RoundDecision(Instant now, Plan plan, Map<String, String> frozen, List<HostChange> hosts, boolean wake,
                     List<Write> writes, List<ReplicaRow> letIn, List<Settlement> settlements, Set<String> touched) {

    /**
     * What happens to one host.
     *
     * @param standing it is noticed lost or returned; null when neither
     * @param bump whether its generation moves (its assignment changes)
     */
    record HostChange(String hostId, Standing standing, boolean bump) {
    }

    /** A host whose heartbeats stopped or resumed, with what its audit event says. */
    sealed interface Standing {
        /** Its heartbeats stopped for longer than the timeout; {@code replicas} are the live ones on it. */
        record Lost(String hostname, Instant lastHeartbeatAt, Duration heartbeatTimeout, List<ReplicaRow> replicas)
                implements Standing {
        }

        /** It reports again after it was lost. */
        record Returned(String hostname, Instant lostAt) implements Standing {
        }
    }

    /** A write the plan's steps make. */
    sealed interface Write {
    }

    /**
     * A replica row for a planned start.
     *
     * @param deploymentId the deployment whose revision it runs
     * @param serving whether it takes traffic as soon as it is healthy
     */
    record StartReplica(String replicaId, long teamId, String team, String app, long revision, long deploymentId,
                        String hostId, boolean serving) implements Write {
    }

    /** A planned stop; {@code replica} is null when the replica is not live any more. */
    record StopReplica(String replicaId, String reason, ReplicaRow replica) implements Write {
    }

    /**
     * The newest deployment failed its health gate.
     *
     * @param autoRollback whether the app asks to roll back (and this is no auto-rollback itself)
     * @param rollbackTo the deployment to roll back to, or null when none succeeded before
     */
    record FailDeployment(DeploymentStore.Row deployment, String reason, boolean autoRollback, DeploymentStore.Row rollbackTo)
            implements Write {
    }

    /** What an in-progress deployment becomes this round. */
    sealed interface Settlement {
        DeploymentStore.Row deployment();
    }

    /** It ends as succeeded with {@code message}. */
    record Succeed(DeploymentStore.Row deployment, String message) implements Settlement {
    }

    /** It goes on, saying {@code message}. */
    record Progress(DeploymentStore.Row deployment, String message) implements Settlement {
    }
}
