package dev.berth.platform.deployments;

import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.cluster.InstanceStopped;
import java.util.List;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * When a platform instance stops answering, every deployment that was in progress at its last
 * check-in says so in its timeline, with the instance that carried on: a rollout is driven by rounds
 * any instance may run, so the survivors finish it, and people reading the timeline later learn why
 * it took longer. The handover is also audited ({@link #ACTION}, by the system, the silent instance
 * as target). Runs inside the transaction that took the stopped instance out, so it is said once:
 * the timeline lines commit with the removal, and the audit event is appended once that commit
 * happened (the audit log's chain takes connections of its own, so it cannot join the transaction;
 * a removal rolled back is neither told nor audited, and the next check tries again).
 */
@Component
class InstanceHandovers {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    /** The audit action of a handover. */
    static final String ACTION = "platform.instance.taken-over";

    private final DeploymentStore deployments;
    private final EffectsFactory effects;

    InstanceHandovers(DeploymentStore deployments, EffectsFactory effects) {
        this.deployments = deployments;
        this.effects = effects;
    }

    @EventListener
    void stopped(InstanceStopped stopped) {
        var fx = effects.open();
        var affected = deployments.noteHandover(stopped.lastSeen(), sentence(stopped));
        for (var app : affected) fx.changed(app.team(), app.app());
        fx.audit(audit(stopped, affected));
        fx.afterCommit();
    }

    /** The audit event of a handover: who went silent, since when, who took over, which deployments were in progress. */
    static AuditEvent.Builder audit(InstanceStopped stopped, List<DeploymentStore.TeamApp> affected) {
        return AuditEvent.of(AuditEvent.Actor.system(), ACTION, "platform-instance:" + stopped.name())
                .detail("instance", stopped.id())
                .detail("lastSeen", stopped.lastSeen().truncatedTo(ChronoUnit.MILLIS))
                .detail("takenOverBy", stopped.noticedBy())
                .detail("deployments", affected.size())
                .detail("apps", String.join(",", affected.stream().map(a -> a.team() + "/" + a.app()).sorted().toList()));
    }

    /** What the timeline says. */
    static String sentence(InstanceStopped stopped) {
        return "platform instance " + stopped.name() + " stopped answering (last seen "
                + TIME.format(stopped.lastSeen().truncatedTo(ChronoUnit.SECONDS)) + " UTC); instance " + stopped.noticedBy()
                + " took over its work";
    }
}
