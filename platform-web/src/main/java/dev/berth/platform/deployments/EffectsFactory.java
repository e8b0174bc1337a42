package dev.berth.platform.deployments;

import dev.berth.platform.audit.AuditLog;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/** Opens the {@link Effects} of one deployment transaction: where audits, events, wake-ups and reconcile requests go. */
@Component
class EffectsFactory {
    final AuditLog audit;
    final ApplicationEventPublisher events;
    final AssignmentSignals signals;
    final ReconcileTrigger trigger;

    EffectsFactory(AuditLog audit, ApplicationEventPublisher events, AssignmentSignals signals, ReconcileTrigger trigger) {
        this.audit = audit;
        this.events = events;
        this.signals = signals;
        this.trigger = trigger;
    }

    /** Nothing set off yet; publish once the transaction committed. */
    Effects open() {
        return new Effects(this);
    }
}
