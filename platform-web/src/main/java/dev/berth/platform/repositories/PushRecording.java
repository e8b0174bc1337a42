package dev.berth.platform.repositories;

import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns a push whose refs moved into its revision, one way whoever does it: the pushing request
 * ({@link PushReview#accepted}) or, after a crash, {@link PushRecovery}. The revision, its
 * deployments and the intent's mark are one transaction; the audit event follows the commit and
 * only then is the intent deleted, so an intent still marked recorded means its event may be
 * missing.
 */
@Component
class PushRecording {
    private final DefinitionReview review;
    private final PushIntentStore intents;
    private final BranchDeletionStore deletions;
    private final AuditLog audit;
    private final GitProperties properties;
    private final TransactionTemplate tx;
    private final Clock clock;

    PushRecording(DefinitionReview review, PushIntentStore intents, BranchDeletionStore deletions, AuditLog audit,
                  GitProperties properties, TransactionTemplate tx, Clock clock) {
        this.review = review;
        this.intents = intents;
        this.deletions = deletions;
        this.audit = audit;
        this.properties = properties;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * The review's last step, before the refs move: reserves the intent's routes and writes the
     * intent in one transaction, so a platform dying after it leaves an intent whose recovery
     * releases the routes again. Returns the intent's definition as passed, or why a route is taken.
     */
    DefinitionReview.Outcome intend(RepositoryStore.Row repo, PushIntent intent) {
        return tx.execute(s -> {
            var reserved = review.reserveRoutes(repo, intent.passed());
            if (reserved instanceof DefinitionReview.Passed) intents.insert(intent, clock.instant());
            return reserved;
        });
    }

    /** A recorded push: its revision, and the lines the pusher sees. */
    record Recorded(long revision, List<String> messages) {
    }

    /** Records the intent's revision and audits it. */
    Recorded record(RepositoryStore.Row repo, PushIntent intent) {
        var passed = intent.passed();
        long id = review.record(repo, intent.commit(), intent.branch(), intent.pushedBy(), intent.actor(), passed,
                revision -> event(repo, intent, revision), revision -> intents.markRecorded(intent.id(), revision));
        intents.delete(intent.id());
        var messages = new ArrayList<String>();
        messages.add("Berth: revision " + id + " recorded for " + intent.to().abbreviated() + " (" + intent.commit().subject() + ")");
        for (var image : passed.pinned()) messages.add("  " + image.app() + ": " + image.image() + " pinned to " + image.digest());
        messages.add("  " + properties.baseUrl() + "/repositories?team=" + repo.team() + "&repository=" + repo.name());
        return new Recorded(id, messages);
    }

    /**
     * Finishes an intent whose revision was committed but whose platform died before deleting it:
     * the audit event is appended (again, if the platform died in the moment between appending and
     * deleting: a twice-told push rather than an untold one).
     */
    void finishRecorded(RepositoryStore.Row repo, PushIntent intent) {
        audit.record(event(repo, intent, intent.revisionId()));
        intents.delete(intent.id());
    }

    /** The review's step before a deploy branch is deleted on disk. */
    void intendDeletion(BranchDeletion deletion) {
        deletions.insert(deletion, clock.instant());
    }

    /**
     * A deletion that happened: audited, then forgotten (a platform dying in between audits it
     * twice rather than never, as {@link #finishRecorded} does).
     */
    void recordDeletion(RepositoryStore.Row repo, BranchDeletion deletion) {
        audit.record(AuditEvent.of(deletion.actor(), "repository.push", "repository:" + repo.team() + "/" + repo.name())
                .team(repo.team()).outcome(AuditEvent.Outcome.SUCCESS).detail("reason", DELETED).detail("ref", deletion.ref()));
        deletions.delete(deletion.id());
    }

    /** The audit reason of a deploy branch's deletion. */
    static final String DELETED = "deploy branch deleted";

    private static AuditEvent.Builder event(RepositoryStore.Row repo, PushIntent intent, long revision) {
        return AuditEvent.of(intent.actor(), "repository.push", "repository:" + repo.team() + "/" + repo.name())
                .team(repo.team()).detail("ref", intent.ref()).detail("commit", intent.to().hex())
                .detail("revision", revision).detail("routes", RouteReview.audited(intent.passed().definition()));
    }
}
