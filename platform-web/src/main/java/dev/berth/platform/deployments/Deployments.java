package dev.berth.platform.deployments;

import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.repositories.RevisionRecorded;
import dev.berth.platform.access.AccessPolicy;
import dev.berth.platform.access.Caller;
import dev.berth.platform.access.Permission;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.teams.TeamLookup;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where deployments come from: a recorded revision deploys each app it changes (and removes the
 * apps its repository stopped defining); a person rolls an app back. The app's newest deployment
 * is what the {@link Reconciler} drives toward.
 */
@Service
public class Deployments {
    static final int MAX_REASON = 500;

    private final DeploymentStore store;
    private final DeploymentLifecycle lifecycle;
    private final AppRevisions revisions;
    private final TeamLookup teams;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final EffectsFactory effects;

    Deployments(DeploymentStore store, DeploymentLifecycle lifecycle, AppRevisions revisions, TeamLookup teams,
                TransactionTemplate tx, Clock clock, EffectsFactory effects) {
        this.store = store;
        this.lifecycle = lifecycle;
        this.revisions = revisions;
        this.teams = teams;
        this.tx = tx;
        this.clock = clock;
        this.effects = effects;
    }

    /**
     * Creates, in the revision's own transaction, a deployment for each app whose definition or
     * pinned digest differs from what the app runs now: an unchanged app keeps its replicas. An app
     * pinned by a rollback stays pinned unless the revision changed it against the repository's
     * previous revision. Apps the repository owns that the revision no longer defines get a
     * removal.
     */
    @EventListener
    public void onRevisionRecorded(RevisionRecorded recorded) {
        var fx = effects.open();
        Instant now = clock.instant();
        var apps = revisions.all(recorded.revisionId());
        Optional<Long> previous = store.previousRevision(recorded.repositoryId(), recorded.revisionId());
        String by = recorded.actor().name();
        for (var entry : apps.entrySet()) {
            String app = entry.getKey();
            AppRevision next = entry.getValue();
            store.lockApp(recorded.teamId(), app);
            var newest = store.newest(recorded.teamId(), app);
            if (newest.isPresent() && newest.get().deployment().kind() != Deployment.Kind.REMOVE) {
                var current = revisions.find(newest.get().revision(), app).orElse(null);
                if (next.sameAs(current)) continue;
                boolean unchangedByThisPush = previous.flatMap(p -> revisions.find(p, app)).map(next::sameAs).orElse(false);
                if (newest.get().deployment().kind().pins() && unchangedByThisPush) continue;
            }
            create(recorded.teamId(), recorded.team(), app, recorded.revisionId(), Deployment.Kind.PUSH, by, null, now, fx,
                    AuditEvent.of(recorded.actor(), "deployment.create", "app:" + recorded.team() + "/" + app));
        }
        for (String app : store.appsOwnedBy(recorded.repositoryId())) {
            if (apps.containsKey(app)) continue;
            store.lockApp(recorded.teamId(), app);
            var newest = store.newest(recorded.teamId(), app);
            if (newest.isEmpty() || newest.get().deployment().kind() == Deployment.Kind.REMOVE) continue;
            create(recorded.teamId(), recorded.team(), app, recorded.revisionId(), Deployment.Kind.REMOVE, by, null, now, fx,
                    AuditEvent.of(recorded.actor(), "deployment.create", "app:" + recorded.team() + "/" + app));
        }
        if (fx.any()) fx.reconcile();
        fx.afterCommit();
    }

    /**
     * Rolls an app back to an earlier revision: a new deployment of that revision, pinned until a
     * push changes the app. Audited with who, why and when.
     *
     * @param revision a revision of the team that defines the app
     * @param reason why, for the audit log; required
     */
    public Deployment rollback(Caller caller, String team, String app, Long revision, String reason, RequestOrigin origin) {
        AccessPolicy.require(caller, Permission.ROLLBACK_APP, team);
        if (revision == null) throw new Problem.Invalid("'revision' is missing: the revision to roll back to");
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) throw new Problem.Invalid("'reason' is missing: say why the app is rolled back; the audit log keeps it");
        if (why.length() > MAX_REASON) throw new Problem.Invalid("'reason' is " + why.length() + " characters; at most " + MAX_REASON);
        long teamId = teams.idOf(team);
        var target = revisions.find(revision, app).filter(r -> r.teamId() == teamId).orElseThrow(() -> new Problem.Invalid(
                "revision " + revision + " does not define app '" + app + "' of team '" + team + "'"));
        var fx = effects.open();
        Instant now = clock.instant();
        long id = tx.execute(s -> {
            store.lockApp(teamId, app);
            var newest = store.newest(teamId, app);
            if (newest.isPresent()) {
                var d = newest.get().deployment();
                if (d.revision() == revision.longValue() && d.kind() != Deployment.Kind.REMOVE
                        && (d.state() == Deployment.State.IN_PROGRESS || d.state() == Deployment.State.SUCCEEDED)) {
                    throw new Problem.Conflict(team + "/" + app + " already runs revision " + revision + " (deployment " + d.id()
                            + ", " + d.state().value() + ")");
                }
            }
            long created = create(teamId, team, app, target.revision(), Deployment.Kind.ROLLBACK, caller.username(), why, now, fx,
                    AuditEvent.of(caller, "deployment.rollback", "app:" + team + "/" + app)
                            .source(origin.address(), origin.userAgent())
                            .detail("from", newest.map(n -> n.revision()).orElse(null)));
            newest.filter(n -> n.deployment().state() == Deployment.State.SUCCEEDED && n.deployment().kind() != Deployment.Kind.REMOVE)
                    .ifPresent(n -> store.markRolledBack(n.id()));
            return created;
        });
        fx.reconcile();
        fx.publish();
        return store.find(id).orElseThrow().deployment();
    }

    /** Starts a push, removal or rollback through the one door, announced with {@code event} and what it created. */
    private long create(long teamId, String team, String app, long revision, Deployment.Kind kind, String by, String reason,
                        Instant now, Effects fx, AuditEvent.Builder event) {
        var opening = new DeploymentLifecycle.Opening(teamId, team, app, revision, kind, by, reason, now);
        return lifecycle.start(opening, DeploymentLifecycle.created(opening, event), fx);
    }
}
