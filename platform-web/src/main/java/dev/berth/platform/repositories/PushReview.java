package dev.berth.platform.repositories;

import dev.berth.gitsync.CommitId;
import dev.berth.gitsync.definition.AppDefinition;
import dev.berth.gitsync.definition.Definition;
import dev.berth.gitsync.definition.DefinitionLimits;
import dev.berth.gitsync.definition.DefinitionParser;
import dev.berth.gitsync.definition.ParseResult;
import dev.berth.gitsync.hosted.PushedCommit;
import dev.berth.gitsync.hosted.Push;
import dev.berth.gitsync.hosted.PushGate;
import dev.berth.gitsync.hosted.RefChange;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.security.AccessPolicy;
import dev.berth.platform.security.Caller;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.security.Permission;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decides pushes to hosted repositories. A push to a deploy branch must carry a valid berth.yaml
 * whose images all resolve; only team ADMINs may rewrite or delete a deploy branch. Other
 * branches and tags are stored without checks. An accepted push to a deploy branch becomes a
 * revision with every image pinned by the digest resolved during the review.
 */
@Component
public class PushReview implements PushGate {
    static final int MAX_DEFINITION_BYTES = 256 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RepositoryStore store;
    private final CallerResolver callers;
    private final ImageResolver images;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final GitProperties properties;
    /** What a review found, kept for the moment between the review and the refs moving. */
    private final Map<String, Reviewed> reviewed = new ConcurrentHashMap<>();

    public PushReview(RepositoryStore store, CallerResolver callers, ImageResolver images, AuditLog audit,
                      TransactionTemplate tx, Clock clock, GitProperties properties) {
        this.store = store;
        this.callers = callers;
        this.images = images;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
        this.properties = properties;
    }

    private record Reviewed(PushedCommit commit, String branch, byte[] yaml, Definition definition,
                            List<Revision.PinnedImage> pinned) {
    }

    @Override
    public Verdict review(Push push) {
        var repo = store.find(push.repository().team(), push.repository().name()).orElse(null);
        if (repo == null) return refuse(push, null, "unknown repository", List.of("repository " + push.repository() + " not found"));
        Caller caller = callers.current();
        var found = new ArrayList<Reviewed>();
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
                switch (check(push, repo, change)) {
                    case Refused(String reason, List<String> messages) -> {
                        return refuse(push, change, reason, messages);
                    }
                    case Checked(Reviewed r) -> found.add(r);
                }
            } catch (IOException e) {
                return refuse(push, change, "unreadable " + repo.definitionPath(), List.of(repo.definitionPath() + ": " + e.getMessage()));
            }
        }
        found.forEach(r -> reviewed.put(key(push, r.commit().id()), r));
        return new Verdict.Accept(List.of());
    }

    /** What checking one deploy-branch commit found. */
    private sealed interface Outcome permits Checked, Refused {
    }

    /** The commit passed, with what the review learnt. */
    private record Checked(Reviewed reviewed) implements Outcome {
    }

    private record Refused(String reason, List<String> messages) implements Outcome {
    }

    private Outcome check(Push push, RepositoryStore.Row repo, RefChange change) throws IOException {
        PushedCommit commit = push.commit(change.to());
        String file = repo.definitionPath();
        Optional<byte[]> yaml = push.file(change.to(), file, MAX_DEFINITION_BYTES);
        if (yaml.isEmpty()) {
            return new Refused("no " + file, List.of(file + ": not found in commit " + change.to().abbreviated()
                    + "; a push to '" + repo.deployBranch() + "' needs one (see docs/berth-yaml.md)"));
        }
        Definition definition;
        switch (DefinitionParser.parse(file, yaml.get(), DefinitionLimits.DEFAULTS)) {
            case ParseResult.Invalid invalid -> {
                var lines = invalid.problems().stream().map(Object::toString).toList();
                return new Refused("invalid " + file, lines);
            }
            case ParseResult.Valid valid -> definition = valid.definition();
        }
        var names = definition.apps().stream().map(AppDefinition::name).toList();
        var owners = store.owners(repo.teamId(), names);
        var problems = new ArrayList<String>();
        owners.forEach((app, owner) -> {
            if (!owner.equals(repo.name())) {
                problems.add(file + ": app '" + app + "' already belongs to repository '" + owner + "' of team '" + repo.team() + "'");
            }
        });
        var pinned = new ArrayList<Revision.PinnedImage>();
        for (AppDefinition app : definition.apps()) {
            try {
                pinned.add(new Revision.PinnedImage(app.name(), app.image(), images.resolve(app.image())));
            } catch (ImageResolver.UnresolvableImage e) {
                problems.add(file + ": app '" + app.name() + "': image " + app.image() + " cannot be resolved: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) return new Refused("invalid " + file, problems);
        return new Checked(new Reviewed(commit, repo.deployBranch(), yaml.get(), definition, pinned));
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
            long id = tx.execute(s -> {
                store.claimApps(repo.teamId(), repo.id(), r.definition().apps().stream().map(AppDefinition::name).toList());
                return store.insertRevision(new RepositoryStore.NewRevision(repo.id(), repo.teamId(), change.to().hex(), r.branch(),
                        r.commit().author().toString(), r.commit().committer().toString(), r.commit().subject(), caller.username(),
                        "UNSIGNED", new String(r.yaml(), StandardCharsets.UTF_8), JSON.writeValueAsString(r.definition()),
                        r.pinned(), clock.instant()));
            });
            audit.record(AuditEvent.of(caller.actor(), "repository.push", "repository:" + push.repository()).team(repo.team())
                    .detail("ref", change.ref()).detail("commit", change.to().hex()).detail("revision", id));
            messages.add("Berth: revision " + id + " recorded for " + change.to().abbreviated() + " (" + r.commit().subject() + ")");
            for (var image : r.pinned()) messages.add("  " + image.app() + ": " + image.image() + " pinned to " + image.digest());
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
        var event = AuditEvent.of(caller.actor(), "repository.push", "repository:" + push.repository())
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
