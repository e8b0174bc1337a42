package dev.berth.platform.deployments;

import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.notifications.NotificationOutbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The one door every deployment comes in by (a push, a removal, a rollback, an auto-rollback) and
 * the one it leaves by (succeeded or failed). Callers hold the app's lock ({@link DeploymentStore#lockApp}).
 */
@Component
class DeploymentLifecycle {
    private final DeploymentStore store;
    private final AppRevisions revisions;
    private final ReplicaStore replicas;
    private final NotificationOutbox notifications;

    DeploymentLifecycle(DeploymentStore store, AppRevisions revisions, ReplicaStore replicas, NotificationOutbox notifications) {
        this.store = store;
        this.revisions = revisions;
        this.replicas = replicas;
        this.notifications = notifications;
    }

    /**
     * A deployment to start.
     *
     * @param revision the revision it deploys (for a removal, the one that no longer defines the app)
     * @param by who asked: a user, {@code sync:TRIGGER} or {@code system}
     * @param reason why, for rollbacks; else null
     */
    record Opening(long teamId, String team, String app, long revision, Deployment.Kind kind, String by, String reason,
                   Instant now) {
    }

    /** The audit event of a started deployment, given its id and those it superseded. */
    @FunctionalInterface
    interface Announcement {
        AuditEvent.Builder of(long id, List<Long> superseded);
    }

    /** How a deployment ends. */
    sealed interface Ending {
        /** Its revision runs as asked (or, for a removal, nothing of the app is left). */
        record Succeeded(String message) implements Ending {
        }

        /** Its health gate timed out. */
        record Failed(String reason) implements Ending {
        }
    }

    /** The audit a push, removal or rollback announces itself with: {@code event} with what was created and superseded. */
    static Announcement created(Opening o, AuditEvent.Builder event) {
        return (id, superseded) -> event.team(o.team()).detail("deployment", id).detail("revision", o.revision())
                .detail("kind", o.kind().value()).detail("reason", o.reason())
                .detail("superseded", superseded.isEmpty() ? null : superseded);
    }

    /** Inserts a deployment, supersedes the app's older in-progress ones, queues its audit event; its id. */
    long start(Opening o, Announcement announcement, Effects fx) {
        // A deployment whose revision already runs as asked ended well, even if no reconcile round said
        // so yet: it must stay the one an auto-rollback returns to, not be superseded.
        store.newest(o.teamId(), o.app()).filter(n -> n.deployment().state() == Deployment.State.IN_PROGRESS
                        && n.deployment().kind() != Deployment.Kind.REMOVE)
                .ifPresent(n -> revisions.find(n.revision(), o.app())
                        .filter(r -> Convergence.runsAsAsked(replicas.liveOf(o.teamId(), o.app()), n.revision(),
                                r.definition().replicas()))
                        .ifPresent(r -> finish(n, new Ending.Succeeded(ranAsAsked(r.definition().replicas(), n.revision())),
                                o.now(), fx)));
        long id = store.insert(o.teamId(), o.app(), o.revision(), o.kind(), o.by(), o.reason(), o.now(), null);
        var superseded = store.supersede(o.teamId(), o.app(), id, o.now());
        // In this transaction: the team's webhooks are owed the start exactly when it committed.
        notifications.tell(List.of(DeploymentNotices.started(o, id)));
        fx.audit(announcement.of(id, superseded));
        fx.changed(o.team(), o.app());
        return id;
    }

    /** Ends {@code d} once, audited and announced after the commit; false (and nothing recorded) when it had ended already. */
    boolean finish(DeploymentStore.Row d, Ending ending, Instant now, Effects fx) {
        String team = d.deployment().team();
        var event = switch (ending) {
            case Ending.Succeeded s -> {
                if (!store.finish(d.id(), Deployment.State.SUCCEEDED, s.message(), now)) yield null;
                notifications.tell(List.of(DeploymentNotices.succeeded(d, s.message(), now)));
                yield succeeded(d);
            }
            case Ending.Failed f -> {
                if (!store.finish(d.id(), Deployment.State.FAILED, f.reason(), now)) yield null;
                notifications.tell(List.of(DeploymentNotices.failed(d, f.reason(), now)));
                yield AuditEvent.of(AuditEvent.Actor.system(), "deployment.fail", "app:" + team + "/" + d.app())
                        .team(team).detail("deployment", d.id()).detail("revision", d.revision()).detail("reason", f.reason());
            }
        };
        if (event == null) return false;
        fx.audit(event);
        fx.changed(team, d.app());
        return true;
    }

    /**
     * Ends each of {@code done} as succeeded with its message, as {@link #finish} would one by one,
     * in one statement however many there are (the round where a thousand rollouts finish); those
     * that had ended already are left as they were, unaudited.
     */
    void succeedAll(List<RoundDecision.Succeed> done, Instant now, Effects fx) {
        var messages = new LinkedHashMap<Long, String>();
        for (var s : done) messages.put(s.deployment().id(), s.message());
        var ended = new HashSet<>(store.succeedAll(messages, now));
        // In the order asked, as one by one would have audited them.
        var told = new ArrayList<NotificationOutbox.Told>();
        for (var s : done) {
            var d = s.deployment();
            if (!ended.remove(d.id())) continue;
            told.add(DeploymentNotices.succeeded(d, s.message(), now));
            fx.audit(succeeded(d));
            fx.changed(d.deployment().team(), d.app());
        }
        // One statement for the whole round, however many ended.
        notifications.tell(told);
    }

    private static AuditEvent.Builder succeeded(DeploymentStore.Row d) {
        String team = d.deployment().team();
        return AuditEvent.of(AuditEvent.Actor.system(), "deployment.succeed", "app:" + team + "/" + d.app())
                .team(team).detail("deployment", d.id()).detail("revision", d.revision())
                .detail("kind", d.deployment().kind().value());
    }

    /** What a deployment that runs as asked says. */
    static String ranAsAsked(int replicas, long revision) {
        return replicas == 1 ? "the replica of revision " + revision + " runs healthy"
                : "all " + replicas + " replicas of revision " + revision + " run healthy";
    }
}
