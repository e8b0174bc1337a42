package dev.berth.platform.repositories;

import dev.berth.gitsync.external.FetchLimits;
import dev.berth.gitsync.external.FetchedCommit;
import dev.berth.gitsync.external.RemoteFetcher;
import dev.berth.gitsync.external.RemoteSource;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.registry.network.AddressPolicy;
import dev.berth.registry.network.EgressTunnel;
import dev.berth.registry.network.TargetGuard;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Brings external repositories up to date: fetch the followed branch, check its tip like a push,
 * record a revision when it is new and good. A failing sync keeps the last good revision and
 * says why on the repository.
 */
@Service
public class ExternalSync implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ExternalSync.class.getName());

    private final RepositoryStore store;
    private final DefinitionReview review;
    private final SecretBox secrets;
    private final AuditLog audit;
    private final Clock clock;
    private final GitProperties properties;
    private final FetchLimits fetchLimits;
    private final EgressTunnel tunnel; // null when the policy allows every address
    private final Map<Long, Object> locks = new ConcurrentHashMap<>();
    private final ApplicationEventPublisher events;

    /** The trigger of a repository's first fetch, started when it is registered. */
    static final String REGISTRATION = "registration";

    public ExternalSync(RepositoryStore store, DefinitionReview review, SecretBox secrets, AuditLog audit, Clock clock,
                        GitProperties properties, AddressPolicy targetPolicy, ApplicationEventPublisher events) {
        this.events = events;
        this.store = store;
        this.review = review;
        this.secrets = secrets;
        this.audit = audit;
        this.clock = clock;
        this.properties = properties;
        // Remote URLs come from users: every host (redirects too) is checked, and a fetch brings at most this much.
        // Connections leave through the egress tunnel, which resolves each host once and connects to the address
        // it checked; here only the name is checked, so nothing resolves it a second time.
        var guard = new TargetGuard(targetPolicy);
        try {
            this.tunnel = targetPolicy.allowsEverything() ? null : EgressTunnel.start(guard);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot start the egress tunnel for external repositories", e);
        }
        this.fetchLimits = fetchLimits(properties.maxFetchBytes(), guard, tunnel);
    }

    /** What fetches may do: through {@code tunnel} when there is one, checking only names here so nothing resolves twice. */
    static FetchLimits fetchLimits(long maxBytes, TargetGuard guard, EgressTunnel tunnel) {
        String limitSetting = "berth.git.max-fetch-bytes, BERTH_GIT_MAX_FETCH_BYTES";
        if (tunnel == null) return new FetchLimits(maxBytes, guard::check, limitSetting);
        return new FetchLimits(maxBytes, guard::checkName, new FetchLimits.Egress(tunnel.proxy(), tunnel::refusal),
                limitSetting);
    }

    /** Stops the egress tunnel. */
    @Override
    public void close() {
        if (tunnel != null) tunnel.close();
    }

    /** How one sync ended. */
    public sealed interface Result permits Recorded, Unchanged, Failed {
    }

    public record Recorded(long revision, String commit) implements Result {
    }

    public record Unchanged(String commit) implements Result {
    }

    public record Failed(String error) implements Result {
    }

    /** Syncs every external repository whose poll interval has passed. */
    public void pollDue() {
        for (var row : store.dueForSync(clock.instant())) {
            try {
                sync(row.id(), "poll");
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "polling repository " + row.team() + "/" + row.name() + " failed", e);
            }
        }
    }

    /**
     * A newly registered repository's first fetch, unless a poll or a person fetched it first.
     *
     * @return empty when there was nothing to do
     */
    public java.util.Optional<Result> firstSync(long repositoryId) {
        var due = store.find(repositoryId).filter(r -> r.external() && r.sync().state() == null);
        return due.map(row -> sync(row.id(), REGISTRATION));
    }

    /** @param trigger what asked for it: registration, poll, webhook, or a user's name */
    public Result sync(long repositoryId, String trigger) {
        synchronized (locks.computeIfAbsent(repositoryId, id -> new Object())) {
            var repository = store.find(repositoryId).filter(RepositoryStore.Row::external)
                    .orElseThrow(() -> new IllegalArgumentException("no external repository " + repositoryId));
            store.syncStarted(repositoryId, clock.instant(), trigger);
            announce(repository);
            try {
                return attempt(repositoryId, trigger);
            } catch (RuntimeException e) {
                // Not left "syncing" for ever: the sentence says what broke, the log has the rest.
                LOG.log(System.Logger.Level.WARNING, "sync of " + repository.team() + "/" + repository.name() + " broke", e);
                store.find(repositoryId).ifPresent(row -> fail(row, trigger, null, "the sync stopped on an internal error ("
                        + e.getClass().getSimpleName() + "); it is tried again at the next poll"));
                throw e;
            } finally {
                announce(repository);
            }
        }
    }

    /** Open views of the repository show the change at once, on this instance; others see it at their next tick. */
    private void announce(RepositoryStore.Row repository) {
        events.publishEvent(new RepositorySynced(repository.team(), repository.name()));
    }

    private Result attempt(long repositoryId, String trigger) {
        var row = store.find(repositoryId).filter(RepositoryStore.Row::external)
                .orElseThrow(() -> new IllegalArgumentException("no external repository " + repositoryId));
        var remote = row.remote();
        String token;
        try {
            token = remote.sealedSecret() == null ? null : secrets.open(remote.sealedSecret(), RepositorySeals.remoteToken(row));
        } catch (IllegalStateException e) {
            return fail(row, trigger, null, "the remote token " + e.getMessage().replaceFirst("^a sealed secret ", ""));
        }
        var source = new RemoteSource(remote.url(), row.deployBranch(), remote.username(), token);
        FetchedCommit fetched;
        try {
            fetched = RemoteFetcher.fetch(mirror(row.id()), source, row.definitionPath(), DefinitionReview.MAX_DEFINITION_BYTES,
                    fetchLimits);
        } catch (IOException e) {
            return fail(row, trigger, null, e.getMessage());
        }
        String tip = fetched.commit().id().hex();
        if (tip.equals(remote.lastSyncCommit())) {
            store.recordSync(row.id(), clock.instant(), tip, tip, null, null);
            return new Unchanged(tip);
        }
        try {
            return recordIfGood(row, trigger, fetched, tip);
        } catch (DefinitionReview.RouteTaken e) {
            return fail(row, trigger, tip, "commit " + fetched.commit().id().abbreviated() + ": " + e.getMessage());
        }
    }

    private Result recordIfGood(RepositoryStore.Row row, String trigger, FetchedCommit fetched, String tip) {
        return switch (review.review(row, fetched.commit().id(), fetched.raw(), fetched.definition())) {
            case DefinitionReview.Failed failed -> fail(row, trigger, tip, "commit " + fetched.commit().id().abbreviated() + ": "
                    + String.join("\n", failed.messages()));
            case DefinitionReview.Passed passed -> {
                long id = review.record(row, fetched.commit(), row.deployBranch(), "sync:" + trigger, AuditEvent.Actor.system(),
                        passed, revision -> AuditEvent.of(AuditEvent.Actor.system(), "repository.sync",
                                "repository:" + row.team() + "/" + row.name()).team(row.team()).detail("trigger", trigger)
                                .detail("commit", tip).detail("revision", revision)
                                .detail("routes", RouteReview.audited(passed.definition())));
                store.recordSync(row.id(), clock.instant(), tip, tip, id, null);
                yield new Recorded(id, tip);
            }
        };
    }

    /** @param commit the fetched commit that failed its checks, or null when the fetch itself failed */
    private Result fail(RepositoryStore.Row row, String trigger, String commit, String error) {
        var remote = row.remote();
        // VIEWERs see this id in place of the detail (SyncErrors); the log keeps the detail under it.
        LOG.log(System.Logger.Level.WARNING, "sync of repository " + row.team() + "/" + row.name() + " failed [error id "
                + SyncErrors.id(error) + "]: " + error);
        store.recordSync(row.id(), clock.instant(), commit, remote.lastSyncCommit(), null, error);
        // One audit event per distinct failure, not one per poll while it lasts.
        if (!Objects.equals(error, remote.lastSyncError())) {
            audit.record(AuditEvent.of(AuditEvent.Actor.system(), "repository.sync", "repository:" + row.team() + "/" + row.name())
                    .team(row.team()).outcome(AuditEvent.Outcome.FAILURE).detail("trigger", trigger).detail("commit", commit)
                    .detail("error", error));
        }
        return new Failed(error);
    }

    private Path mirror(long id) {
        return properties.repositoriesDir().resolve(".mirrors").resolve(Long.toString(id));
    }
}
