package dev.berth.platform.deployments;

import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditOutbox;
import dev.berth.platform.cluster.InstanceCheckedIn;
import dev.berth.platform.cluster.InstanceStopped;
import java.util.List;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * When a platform instance stops answering, every deployment that was in progress at its last
 * check-in says so in its timeline, with the instance that carried on: a rollout is driven by rounds
 * any instance may run, so the survivors finish it, and people reading the timeline later learn why
 * it took longer. The handover is also audited ({@link #ACTION}, by the system, the silent instance
 * as target). Runs inside the transaction that took the stopped instance out, so it is said once:
 * the timeline lines and the audit event, owed in the {@link AuditOutbox}, commit with the removal
 * (a removal rolled back is neither told nor audited, and the next check tries again). The owed
 * event is delivered to the chain right after that commit and, should this instance die first, on
 * the next {@link InstanceCheckedIn} of whichever instance runs on: exactly once, as the outbox
 * deletes what it appends in the append's transaction.
 */
@Component
class InstanceHandovers {
    private static final Logger log = LoggerFactory.getLogger(InstanceHandovers.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    /** The audit action of a handover. */
    static final String ACTION = "platform.instance.taken-over";

    private final DeploymentStore deployments;
    private final EffectsFactory effects;
    private final AuditOutbox outbox;

    InstanceHandovers(DeploymentStore deployments, EffectsFactory effects, AuditOutbox outbox) {
        this.deployments = deployments;
        this.effects = effects;
        this.outbox = outbox;
    }

    @EventListener
    void stopped(InstanceStopped stopped) {
        var fx = effects.open();
        var affected = deployments.noteHandover(stopped.lastSeen(), sentence(stopped));
        for (var app : affected) fx.changed(app.team(), app.app());
        outbox.add(audit(stopped, affected));
        // Registered before the effects, so the event is in the chain before the apps are announced changed.
        if (!TransactionSynchronizationManager.isSynchronizationActive()) deliver();
        else TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                deliver();
            }
        });
        fx.afterCommit();
    }

    /** Every check of any instance delivers what a handover still owes, its own or a dead instance's. */
    @EventListener
    void checkedIn(InstanceCheckedIn tick) {
        deliver();
    }

    private void deliver() {
        try {
            int delivered = outbox.deliver();
            if (delivered > 0) log.debug("appended {} owed audit events", delivered);
        } catch (RuntimeException e) {
            log.warn("Owed audit events stay owed until the next check: {}", e.getMessage());
        }
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
