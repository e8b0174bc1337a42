package dev.berth.platform.deployments;

import dev.berth.platform.audit.AuditEvent;
import java.time.Instant;

/** How a deployment ends well: marked succeeded once, audited and announced after the commit. */
final class Outcomes {
    private Outcomes() {
    }

    /** Ends {@code d} as succeeded with {@code message}; false (and nothing recorded) when it had ended already. */
    static boolean succeed(DeploymentStore store, DeploymentStore.Row d, String team, String message, Instant now, Effects fx) {
        if (!store.finish(d.id(), Deployment.State.SUCCEEDED, message, now)) return false;
        fx.audit(AuditEvent.of(AuditEvent.Actor.system(), "deployment.succeed", "app:" + team + "/" + d.app())
                .team(team).detail("deployment", d.id()).detail("revision", d.revision())
                .detail("kind", d.deployment().kind().value()));
        fx.changed(team, d.app());
        return true;
    }

    /** What a deployment that runs as asked says. */
    static String ranAsAsked(int replicas, long revision) {
        return replicas == 1 ? "the replica of revision " + revision + " runs healthy"
                : "all " + replicas + " replicas of revision " + revision + " run healthy";
    }
}
