package dev.berth.platform.repositories;

import dev.berth.gitsync.CommitId;
import dev.berth.gitsync.hosted.PushedCommit;
import dev.berth.gitsync.hosted.Push;
import dev.berth.gitsync.hosted.PushGate;
import dev.berth.gitsync.hosted.RefChange;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.access.AccessPolicy;
import dev.berth.platform.access.Caller;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.access.Permission;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import dev.berth.gitsync.hosted.GitHttpService;
import dev.berth.gitsync.hosted.HostedRepositories;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Decides pushes to hosted repositories. Only a caller with {@link Permission#PUSH_REPOSITORY} in the
 * repository's team may push at all (checked here again, not only in front of the git servlet).
 * A push to a deploy branch must carry a valid berth.yaml
 * whose images all resolve; only team ADMINs may rewrite or delete a deploy branch. Other
 * branches and tags are stored without checks. An accepted push to a deploy branch becomes a
 * revision with every image pinned by the digest resolved during the review.
 *
 * <p>Once-only and whole across platform instances: the review takes the repository's
 * {@link PushLocks push lock} and holds it through the refs moving and the recording, so a push
 * whose ref moved since its pusher fetched (through another instance) is refused with "fetch
 * first". A push to a deploy branch that passed leaves a {@link PushIntent} before its refs move
 * (a deletion of it, a {@link BranchDeletion}); {@link PushRecording} turns it into the revision
 * (or the deletion's audit event), or {@link PushRecovery} does after a crash.
 */
@Component
public class PushReview implements PushGate {
    private static final Logger LOG = LoggerFactory.getLogger(PushReview.class);
    private static final String FETCH_FIRST = GitHttpService.FETCH_FIRST;
    private static final String MOVED = " moved since you fetched it (another push was first): fetch, merge or rebase, and push again";

    private final RepositoryStore store;
    private final CallerResolver callers;
    private final DefinitionReview review;
    private final AuditLog audit;
    private final Pushes pushes;
    /**
     * The push lock of the request this thread serves: taken by {@link #review}, released by
     * {@link #finish} when the request ends (JGit runs both hooks on the request's thread).
     */
    private final ThreadLocal<PushLocks.Held> held = new ThreadLocal<>();

    /** What keeps pushes once-only and whole: the locks, the intents, their recording and recovery. */
    record Pushes(PushLocks locks, PushIntentStore intents, BranchDeletionStore deletions, PushRecording recording,
                  PushRecovery recovery, HostedRepositories hosted) {
    }

    PushReview(RepositoryStore store, CallerResolver callers, DefinitionReview review, AuditLog audit, PushLocks locks,
               PushIntentStore intents, BranchDeletionStore deletions, PushRecording recording, PushRecovery recovery,
               HostedRepositories hosted) {
        this.store = store;
        this.callers = callers;
        this.review = review;
        this.audit = audit;
        this.pushes = new Pushes(locks, intents, deletions, recording, recovery, hosted);
    }

    @Override
    public Verdict review(Push push) {
        var repo = store.find(push.repository().team(), push.repository().name()).orElse(null);
        if (repo == null) return refuse(push, null, "unknown repository", List.of("repository " + push.repository() + " not found"));
        Caller caller = callers.current();
        // Checked here as well as in front of the servlet: whatever let the push reach this gate,
        // only someone who may push to the team's repositories moves a ref.
        String denied = switch (AccessPolicy.decide(caller, Permission.PUSH_REPOSITORY, repo.team())) {
            case AccessPolicy.Allowed a -> caller.username().equals(push.pusher()) ? null
                    : "this push arrived as '" + push.pusher() + "', not as " + caller.username();
            case AccessPolicy.Denied d -> d.reason();
            case AccessPolicy.Hidden h -> "repository " + push.repository() + " not found";
        };
        if (denied != null) return refuse(push, null, "not allowed to push", List.of(denied));
        lock(repo);
        for (RefChange change : push.changes()) {
            if (!Objects.equals(refNow(push, change), change.from())) {
                return refuse(push, change, FETCH_FIRST, List.of(change.ref() + MOVED));
            }
        }
        for (RefChange change : push.changes()) {
            if (!repo.deployBranch().equals(change.branch())) continue;
            boolean rewrites = change.kind() == RefChange.Kind.FORCE_UPDATE || change.kind() == RefChange.Kind.DELETE;
            if (rewrites && !(AccessPolicy.decide(caller, Permission.REWRITE_DEPLOY_BRANCH, repo.team()) instanceof AccessPolicy.Allowed)) {
                String what = change.kind() == RefChange.Kind.DELETE ? "delete" : "force-push to";
                return refuse(push, change, "only ADMINs may " + what + " the deploy branch",
                        List.of("only team ADMINs may " + what + " the deploy branch '" + repo.deployBranch() + "'"));
            }
            if (change.kind() == RefChange.Kind.DELETE) {
                pushes.recording().intendDeletion(new BranchDeletion(0, repo.id(), change.ref(), change.from(), AuditEvent.Actor.of(caller)));
                continue;
            }
            try {
                if (check(push, repo, change) instanceof DefinitionReview.Failed(String reason, List<String> messages)) {
                    return refuse(push, change, reason, messages);
                }
            } catch (IOException e) {
                return refuse(push, change, "unreadable " + repo.definitionPath(), List.of(repo.definitionPath() + ": " + e.getMessage()));
            }
        }
        return new Verdict.Accept(List.of());
    }

    private DefinitionReview.Outcome check(Push push, RepositoryStore.Row repo, RefChange change) throws IOException {
        PushedCommit commit = push.commit(change.to());
        var outcome = review.review(repo, change.to(), push.rawCommit(change.to()),
                push.file(change.to(), repo.definitionPath(), DefinitionReview.MAX_DEFINITION_BYTES));
        if (!(outcome instanceof DefinitionReview.Passed passed)) return outcome;
        Caller caller = callers.current();
        return pushes.recording().intend(repo, new PushIntent(0, repo.id(), change.ref(), change.from(), change.to(),
                repo.deployBranch(), caller.username(), AuditEvent.Actor.of(caller), commit, passed, null));
    }

    /** Takes the repository's push lock, then settles what an earlier push to it left unfinished. */
    private void lock(RepositoryStore.Row repo) {
        finish(); // a request reviews once; this only guards against a lock kept by mistake
        held.set(pushes.locks().acquire(repo.id()));
        pushes.recovery().settle(repo.id());
    }

    /**
     * Ends this thread's push, if any: settles its intents (a ref that failed to move drops its
     * intent and reservation) and releases the repository's push lock. Idempotent.
     */
    public void finish() {
        var lock = held.get();
        if (lock == null) return;
        held.remove();
        try (lock) {
            pushes.recovery().settle(lock.repositoryId());
        } catch (RuntimeException e) {
            LOG.error("settling the push to repository {} failed; push recovery tries again", lock.repositoryId(), e);
        }
    }

    private CommitId refNow(Push push, RefChange change) {
        try {
            return pushes.hosted().ref(push.repository(), change.ref()).orElse(null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + change.ref() + " of " + push.repository(), e);
        }
    }

    /** Audited as a refusal like any other; nothing was reviewed, reserved or written. */
    @Override
    public List<String> outdated(Push push) {
        var lines = new ArrayList<String>();
        for (RefChange change : push.changes()) lines.add(change.ref() + MOVED);
        Caller caller = callers.current();
        audit(caller, push, push.changes().getFirst(), AuditEvent.Outcome.FAILURE, FETCH_FIRST);
        lines.add("Berth refused this push: nothing was recorded.");
        return lines;
    }

    @Override
    public List<String> accepted(Push push) {
        var repo = store.find(push.repository().team(), push.repository().name()).orElseThrow();
        Caller caller = callers.current();
        var messages = new ArrayList<String>();
        for (RefChange change : push.changes()) {
            if (!repo.deployBranch().equals(change.branch())) continue;
            if (change.to() == null) {
                pushes.deletions().find(repo.id(), change.ref()).ifPresentOrElse(d -> pushes.recording().recordDeletion(repo, d),
                        () -> audit(caller, push, change, AuditEvent.Outcome.SUCCESS, PushRecording.DELETED));
                continue;
            }
            var intent = pushes.intents().find(repo.id(), change.to()).filter(i -> i.revisionId() == null).orElse(null);
            if (intent == null) continue;
            messages.addAll(pushes.recording().record(repo, intent).messages());
        }
        finish();
        return messages;
    }

    private Verdict refuse(Push push, RefChange change, String reason, List<String> messages) {
        finish(); // a refused push moves no ref and leaves no intent
        Caller caller = callers.current();
        audit(caller, push, change, AuditEvent.Outcome.FAILURE, reason);
        var lines = new ArrayList<String>(messages);
        lines.add("Berth refused this push: nothing was recorded.");
        return new Verdict.Refuse(reason, lines);
    }

    private void audit(Caller caller, Push push, RefChange change, AuditEvent.Outcome outcome, String reason) {
        var event = AuditEvent.of(caller, "repository.push", "repository:" + push.repository())
                .team(push.repository().team()).outcome(outcome).detail("reason", reason);
        if (change != null) {
            event.detail("ref", change.ref());
            if (change.to() != null) event.detail("commit", change.to().hex());
        }
        audit.record(event);
    }
}
