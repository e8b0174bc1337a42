package dev.berth.platform.repositories;

import dev.berth.gitsync.CommitId;
import dev.berth.gitsync.definition.AppDefinition;
import dev.berth.gitsync.definition.Definition;
import dev.berth.gitsync.definition.DefinitionLimits;
import dev.berth.gitsync.definition.DefinitionParser;
import dev.berth.gitsync.definition.ParseResult;
import dev.berth.gitsync.hosted.PushedCommit;
import dev.berth.gitsync.signing.CommitSignatures;
import dev.berth.gitsync.signing.SignatureStatus;
import dev.berth.gitsync.signing.TrustedKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.domains.AppsDomain;
import dev.berth.platform.domains.TeamDomainLookup;
import dev.berth.platform.egress.EgressAllowLookup;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The checks every new revision passes, whether it was pushed or fetched: a valid definition,
 * apps this repository may define, network entries the team may declare ({@link NetworkReview}),
 * and images that resolve to digests. Then the recording.
 */
@Component
public class DefinitionReview {
    static final int MAX_DEFINITION_BYTES = 256 * 1024;

    private final RepositoryStore store;
    private final ImageResolver images;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final AuditLog auditLog;
    private final EgressAllowLookup egress;
    private final Routes routes;

    /** What the route checks read: the team's domains, the apps domain, and the claims. */
    record Routes(TeamDomainLookup domains, AppsDomain apps, RouteClaims claims) {
    }

    public DefinitionReview(RepositoryStore store, ImageResolver images, TransactionTemplate tx, Clock clock,
                            ApplicationEventPublisher events, AuditLog auditLog, EgressAllowLookup egress,
                            TeamDomainLookup domains, AppsDomain apps, RouteClaims claims) {
        this.routes = new Routes(domains, apps, claims);
        this.auditLog = auditLog;
        this.egress = egress;
        this.store = store;
        this.images = images;
        this.tx = tx;
        this.clock = clock;
        this.events = events;
    }

    /** What the checks found. */
    public sealed interface Outcome permits Passed, Failed {
    }

    /** The definition is good; {@code pinned} holds each app's resolved digest, {@code signature} what the signature says. */
    public record Passed(byte[] yaml, Definition definition, List<Revision.PinnedImage> pinned, String signature) implements Outcome {
    }

    /** @param reason a few words; {@code messages} say what is wrong and where, one per line */
    public record Failed(String reason, List<String> messages) implements Outcome {
    }

    /** @param rawCommit the commit object's bytes, whose signature is checked against the repository's trusted keys */
    public Outcome review(RepositoryStore.Row repo, CommitId commit, byte[] rawCommit, Optional<byte[]> yaml) {
        var trusted = store.trustedKeys(repo.id()).stream().map(k -> TrustedKey.parse(k.armored())).toList();
        SignatureStatus signature = CommitSignatures.verify(rawCommit, trusted);
        if (repo.requireSigned() && !(signature instanceof SignatureStatus.Verified)) {
            return new Failed("unsigned commit", List.of("commit " + commit.abbreviated() + ": " + signature.label()
                    + "; " + repo.team() + "/" + repo.name() + " accepts only commits signed by one of its trusted keys"));
        }
        String file = repo.definitionPath();
        if (yaml.isEmpty()) {
            return new Failed("no " + file, List.of(file + ": not found in commit " + commit.abbreviated()
                    + "; the deploy branch '" + repo.deployBranch() + "' needs one (see docs/berth-yaml.md)"));
        }
        Definition definition;
        switch (DefinitionParser.parse(file, yaml.get(), DefinitionLimits.DEFAULTS)) {
            case ParseResult.Invalid invalid -> {
                return new Failed("invalid " + file, invalid.problems().stream().map(Object::toString).toList());
            }
            case ParseResult.Valid valid -> definition = valid.definition();
        }
        var problems = new ArrayList<String>();
        store.owners(repo.teamId(), definition.apps().stream().map(AppDefinition::name).toList()).forEach((app, owner) -> {
            if (!owner.equals(repo.name())) {
                problems.add(file + ": app '" + app + "' already belongs to repository '" + owner + "' of team '" + repo.team() + "'");
            }
        });
        if (NetworkReview.declaresNetwork(definition)) problems.addAll(NetworkReview.problems(file, definition, team(repo, definition)));
        var hostPaths = RouteReview.hostPaths(definition);
        if (!hostPaths.isEmpty()) {
            problems.addAll(RouteReview.problems(file, definition, routeTeam(repo), routes.claims().heldElsewhere(repo.id(), hostPaths)));
        }
        var pinned = new ArrayList<Revision.PinnedImage>();
        var resolved = images.resolveAll(definition.apps().stream().map(AppDefinition::image).toList());
        for (AppDefinition app : definition.apps()) {
            switch (resolved.get(app.image())) {
                case ImageResolver.Resolved(String digest) -> pinned.add(new Revision.PinnedImage(app.name(), app.image(), digest));
                case ImageResolver.Unresolved(String reason) ->
                        problems.add(file + ": app '" + app.name() + "': image " + app.image() + " cannot be resolved: " + reason);
            }
        }
        if (!problems.isEmpty()) return new Failed("invalid " + file, problems);
        return new Passed(yaml.get(), definition, List.copyOf(pinned), signature.label());
    }

    /** The team as the network checks need it: its allowed ranges, and its other repositories' apps this file connects to. */
    private NetworkReview.Team team(RepositoryStore.Row repo, Definition definition) {
        var elsewhere = new java.util.HashMap<String, List<dev.berth.gitsync.definition.Port>>();
        store.definitionsElsewhere(repo.teamId(), repo.id(), NetworkReview.connectedElsewhere(definition)).forEach((app, json) ->
                DefinitionJson.read(json).apps().stream().filter(a -> a.name().equals(app)).findFirst()
                        .ifPresent(a -> elsewhere.put(app, a.ports())));
        return new NetworkReview.Team(repo.team(), egress.rangesOf(repo.teamId()), elsewhere);
    }

    private RouteReview.Team routeTeam(RepositoryStore.Row repo) {
        return new RouteReview.Team(repo.team(), routes.domains().patternsOf(repo.teamId()), routes.apps());
    }

    /**
     * Takes the routes of a definition that passed for its repository before a push's refs move,
     * so that of two pushes racing for one host and path exactly one wins; the revision's
     * recording takes them again. Returns {@code passed}, or why another repository was first.
     */
    public Outcome reserveRoutes(RepositoryStore.Row repo, Passed passed) {
        var claims = RouteReview.claims(passed.definition());
        if (claims.isEmpty()) return passed;
        var taken = tx.execute(s -> routes.claims().replace(repo.teamId(), repo.id(), claims));
        if (taken.isEmpty()) return passed;
        return new Failed("route taken", RouteReview.problems(repo.definitionPath(), passed.definition(), routeTeam(repo), taken));
    }

    /** A route another repository took between the review and the recording; nothing was recorded. */
    public static final class RouteTaken extends RuntimeException {
        RouteTaken(List<String> messages) {
            super(String.join("\n", messages));
        }
    }

    /**
     * Records a revision that passed, and claims its apps and routes for the repository (releasing
     * routes it no longer declares); returns its id.
     * {@link RevisionRecorded} is published inside the same transaction.
     *
     * @param by what {@code pushed_by} says: the pusher's name, or {@code sync:TRIGGER}
     * @param actor who the audit log names for what the revision sets off
     * @param audit the event that records the push or sync, given the revision's id; appended once
     *              the revision is committed, before anything its listeners audit
     * @throws RouteTaken when another repository took one of its routes since the review
     */
    public long record(RepositoryStore.Row repo, PushedCommit commit, String branch, String by, AuditEvent.Actor actor,
                       Passed passed, java.util.function.LongFunction<AuditEvent.Builder> audit) {
        return record(repo, commit, branch, by, actor, passed, audit, revision -> { });
    }

    /** As above; {@code alsoInTransaction} is given the revision's id inside its transaction, before the commit. */
    long record(RepositoryStore.Row repo, PushedCommit commit, String branch, String by, AuditEvent.Actor actor,
                Passed passed, java.util.function.LongFunction<AuditEvent.Builder> audit,
                java.util.function.LongConsumer alsoInTransaction) {
        return tx.execute(s -> {
            store.claimApps(repo.teamId(), repo.id(), passed.definition().apps().stream().map(AppDefinition::name).toList());
            var taken = routes.claims().replace(repo.teamId(), repo.id(), RouteReview.claims(passed.definition()));
            if (!taken.isEmpty()) {
                throw new RouteTaken(RouteReview.problems(repo.definitionPath(), passed.definition(), routeTeam(repo), taken));
            }
            long id = store.insertRevision(new RepositoryStore.NewRevision(repo.id(), repo.teamId(), commit.id().hex(), branch,
                    commit.author().toString(), commit.committer().toString(), commit.subject(), by, passed.signature(),
                    new String(passed.yaml(), StandardCharsets.UTF_8), DefinitionJson.write(passed.definition()),
                    passed.pinned(), clock.instant()));
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    auditLog.record(audit.apply(id));
                }
            });
            alsoInTransaction.accept(id);
            events.publishEvent(new RevisionRecorded(id, repo.id(), repo.teamId(), repo.team(), actor));
            return id;
        });
    }
}
