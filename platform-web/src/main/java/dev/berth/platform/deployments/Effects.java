package dev.berth.platform.deployments;

import dev.berth.platform.audit.AuditEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What a deployment transaction sets off once it has committed, never before: audit events,
 * wake-ups of waiting agents, another reconcile round, {@link AppChanged} events.
 */
final class Effects {
    private final EffectsFactory to;
    private final List<AuditEvent.Builder> audits = new ArrayList<>();
    private final Set<AppChanged> changed = new LinkedHashSet<>();
    private boolean wake;
    private boolean reconcile;

    /** @param to where what is set off goes, once published */
    Effects(EffectsFactory to) {
        this.to = to;
    }

    void audit(AuditEvent.Builder event) {
        audits.add(event);
    }

    void changed(String team, String app) {
        changed.add(new AppChanged(team, app));
    }

    /** Some host's generation moved: wake the long-polls. */
    void wake() {
        wake = true;
    }

    /** Run another reconcile round soon. */
    void reconcile() {
        reconcile = true;
    }

    boolean any() {
        return !audits.isEmpty() || !changed.isEmpty() || wake || reconcile;
    }

    /**
     * Publishes when the current transaction commits; at once when there is none. Nothing here
     * writes through the committed transaction's connection, which Spring still binds then: the
     * audit log takes connections of its own and the reconcile trigger hands off to another thread.
     */
    void afterCommit() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            publish();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                publish();
            }
        });
    }

    /**
     * Audits first, so nothing is announced before it is in the audit log; all of them at once, so
     * a round that ends a thousand deployments pays a few commits rather than a thousand.
     */
    void publish() {
        to.audit.recordAll(audits);
        if (wake) to.signals.changed();
        if (reconcile) to.trigger.request();
        changed.forEach(to.events::publishEvent);
    }
}
