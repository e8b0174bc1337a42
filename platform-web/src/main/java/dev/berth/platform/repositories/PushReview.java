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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Decides pushes to hosted repositories. Only a caller with {@link Permission#PUSH_REPOSITORY} in the
 * repository's team may push at all (checked here again, not only in front of the git servlet).
 * A push to a deploy branch must carry a valid berth.yaml
 * whose images all resolve; only team ADMINs may rewrite or delete a deploy branch. Other
 * branches and tags are stored without checks. An accepted push to a deploy branch becomes a
 * revision with every image pinned by the digest resolved during the review.
 */
@Component
public class PushReview implements PushGate {

    private final RepositoryStore store;
    private final CallerResolver callers;
    private final DefinitionReview review;
    private final AuditLog audit;
    private final GitProperties properties;
    /** What a review found, kept for the moment between the review and the refs moving. */
    private final Map<String, Reviewed> reviewed = new ConcurrentHashMap<>();

    public PushReview(RepositoryStore store, CallerResolver callers, DefinitionReview review, AuditLog audit,
                      GitProperties properties) {
        this.store = store;
        this.callers = callers;
        this.review = review;
        this.audit = audit;
        this.properties = properties;
    }

    private record Reviewed(PushedCommit commit, String branch, DefinitionReview.Passed passed) {
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
        for (RefChange change : push.changes()) {
            if (!repo.deployBranch().equals(change.branch())) continue;
            boolean rewrites = change.kind() == RefChange.Kind.FORCE_UPDATE || change.kind() == RefChange.Kind.DELETE;
            if (rewrites && !(AccessPolicy.decide(caller, Permission.REWRITE_DEPLOY_BRANCH, repo.team()) instanceof AccessPolicy.Allowed)) {
                String what = change.kind() == RefChange.Kind.DELETE ? "delete" : "force-push to";
                return refuse(push, change, "only ADMINs may " + what + " the deploy branch",
                        List.of("only team ADMINs may " + what + " the deploy branch '" + repo.deployBranch() + "'"));
            }
            if (change.kind() == RefChange.Kind.DELETE) continue;
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
        if (outcome instanceof DefinitionReview.Passed passed) outcome = review.reserveRoutes(repo, passed);
        if (outcome instanceof DefinitionReview.Passed passed) reviewed.put(key(push, change.to()), new Reviewed(commit, repo.deployBranch(), passed));
        return outcome;
    }

    @Override
    public List<String> accepted(Push push) {
        var repo = store.find(push.repository().team(), push.repository().name()).orElseThrow();
        Caller caller = callers.current();
        var messages = new ArrayList<String>();
        for (RefChange change : push.changes()) {
            if (!repo.deployBranch().equals(change.branch())) continue;
            if (change.to() == null) {
                audit(caller, push, change, AuditEvent.Outcome.SUCCESS, "deploy branch deleted");
                continue;
            }
            Reviewed r = reviewed.remove(key(push, change.to()));
            if (r == null) continue;
            long id = review.record(repo, r.commit(), r.branch(), caller.username(), AuditEvent.Actor.of(caller), r.passed(),
                    revision -> AuditEvent.of(caller, "repository.push", "repository:" + push.repository())
                            .team(repo.team()).detail("ref", change.ref()).detail("commit", change.to().hex())
                            .detail("revision", revision).detail("routes", RouteReview.audited(r.passed().definition())));
            messages.add("Berth: revision " + id + " recorded for " + change.to().abbreviated() + " (" + r.commit().subject() + ")");
            for (var image : r.passed().pinned()) messages.add("  " + image.app() + ": " + image.image() + " pinned to " + image.digest());
            messages.add("  " + properties.baseUrl() + "/repositories?team=" + repo.team() + "&repository=" + repo.name());
        }
        return messages;
    }

    private Verdict refuse(Push push, RefChange change, String reason, List<String> messages) {
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

    private static String key(Push push, CommitId commit) {
        return push.repository() + "@" + commit.hex();
    }
}
