package dev.berth.platform.repositories;

import dev.berth.gitsync.hosted.HostedRepositories;
import dev.berth.gitsync.hosted.RepositoryName;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.access.AccessPolicy;
import dev.berth.platform.access.Caller;
import dev.berth.platform.access.Permission;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.teams.TeamLookup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** A team's repositories and the revisions pushed to them. */
@Service
public class RepositoryService {
    private static final System.Logger LOG = System.getLogger(RepositoryService.class.getName());
    private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,99}");
    static final String DEFINITION_PATH = "berth.yaml";

    private final RepositoryStore store;
    private final TeamLookup teams;
    private final HostedRepositories hosted;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final GitProperties properties;
    private final SecretBox secrets;
    private final ExternalSync sync;
    private final SyncRequests syncRequests;

    public RepositoryService(RepositoryStore store, TeamLookup teams, HostedRepositories hosted, AuditLog audit,
                             TransactionTemplate tx, Clock clock, GitProperties properties, SecretBox secrets, ExternalSync sync,
                             SyncRequests syncRequests) {
        this.syncRequests = syncRequests;
        this.secrets = secrets;
        this.sync = sync;
        this.store = store;
        this.teams = teams;
        this.hosted = hosted;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
        this.properties = properties;
    }

    /** Creates an empty hosted repository; pushes to {@code branch} (default {@code main}) deploy. */
    public Repository create(Caller caller, String team, String name, String branch, RequestOrigin origin) {
        AccessPolicy.require(caller, Permission.CREATE_REPOSITORY, team);
        String deployBranch = branch == null || branch.isBlank() ? "main" : branch;
        if (!BRANCH.matcher(deployBranch).matches() || deployBranch.contains("..") || deployBranch.endsWith("/")
                || deployBranch.endsWith(".lock")) {
            throw new Problem.Invalid("branch '" + deployBranch + "' is not a valid git branch name");
        }
        RepositoryName repoName;
        try {
            repoName = new RepositoryName(team, name);
        } catch (IllegalArgumentException e) {
            throw new Problem.Invalid(e.getMessage());
        }
        var now = clock.instant();
        var createdOnDisk = new java.util.concurrent.atomic.AtomicBoolean();
        long id;
        try {
            id = tx.execute(s -> {
                long teamId = teams.idOf(team);
                long inserted = store.insert(teamId, name, deployBranch, DEFINITION_PATH, now, caller.username())
                        .orElseThrow(() -> new Problem.Conflict("repository '" + name + "' already exists in team '" + team + "'"));
                try {
                    // Inside the transaction: if the disk refuses, the row goes too.
                    hosted.create(repoName, deployBranch);
                    createdOnDisk.set(true);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // Left from an earlier database (or a restore): someone's history, so neither reused
                    // silently nor deleted; the operator decides. The row goes with the transaction.
                    LOG.log(System.Logger.Level.WARNING, "refused to create repository " + repoName + ": "
                            + hosted.path(repoName) + " is already on disk");
                    throw new Problem.Conflict("a directory for repository '" + repoName + "' is already on the platform's disk ("
                            + e.getFile() + " under the repositories directory), left from an earlier database; a platform "
                            + "operator must move it away or delete it before a repository of this name can be created");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return inserted;
            });
        } catch (RuntimeException e) {
            // ... and if the commit fails after the disk said yes, the directory goes.
            if (createdOnDisk.get()) {
                try {
                    hosted.delete(repoName);
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
        audit.record(AuditEvent.of(caller, "repository.create", "repository:" + repoName).team(team)
                .source(origin.address(), origin.userAgent()).detail("branch", deployBranch));
        return view(store.find(team, name).filter(r -> r.id() == id).orElseThrow());
    }

    public List<Repository> list(Caller caller, String team) {
        AccessPolicy.require(caller, Permission.VIEW_REPOSITORIES, team);
        return store.list(team).stream().map(row -> view(caller, row)).toList();
    }

    public Repository get(Caller caller, String team, String name) {
        AccessPolicy.require(caller, Permission.VIEW_REPOSITORIES, team);
        return store.find(team, name).map(row -> view(caller, row))
                .orElseThrow(() -> new Problem.NotFound("repository '" + name + "' not found in team '" + team + "'"));
    }

    /** Whether a repository accepts only signed commits, and the keys it trusts. */
    public record Signing(boolean required, List<TrustedKeyView> keys) {
    }

    /** A trusted key as listed: never more than its public parts. */
    public record TrustedKeyView(String fingerprint, String signer, String addedBy, java.time.Instant addedAt) {
    }

    public Signing signing(Caller caller, String team, String name) {
        AccessPolicy.require(caller, Permission.VIEW_REPOSITORIES, team);
        var row = row(team, name);
        return new Signing(row.requireSigned(), store.trustedKeys(row.id()).stream()
                .map(k -> new TrustedKeyView(k.fingerprint(), k.signer(), k.addedBy(), k.addedAt())).toList());
    }

    /** Turns the signature requirement on or off; on needs at least one trusted key. */
    public Signing requireSigned(Caller caller, String team, String name, boolean required, RequestOrigin origin) {
        AccessPolicy.require(caller, Permission.MANAGE_REPOSITORY, team);
        var row = row(team, name);
        if (required && store.trustedKeys(row.id()).isEmpty()) {
            throw new Problem.Conflict("add a trusted key first: with none, no commit could be accepted");
        }
        store.setRequireSigned(row.id(), required);
        audit.record(AuditEvent.of(caller, "repository.signing", "repository:" + team + "/" + name).team(team)
                .source(origin.address(), origin.userAgent()).detail("required", required));
        return signing(caller, team, name);
    }

    /** Adds an ASCII-armored OpenPGP public key to the repository's trusted keys. */
    public TrustedKeyView trustKey(Caller caller, String team, String name, String armored, RequestOrigin origin) {
        AccessPolicy.require(caller, Permission.MANAGE_REPOSITORY, team);
        var row = row(team, name);
        dev.berth.gitsync.signing.TrustedKey key;
        try {
            key = dev.berth.gitsync.signing.TrustedKey.parse(armored == null ? "" : armored);
        } catch (IllegalArgumentException e) {
            throw new Problem.Invalid(e.getMessage());
        }
        var now = clock.instant();
        if (!store.addTrustedKey(row.id(), key.fingerprint(), key.signer(), key.armored(), caller.username(), now)) {
            throw new Problem.Conflict("key " + key.fingerprint() + " is already trusted by " + team + "/" + name);
        }
        audit.record(AuditEvent.of(caller, "repository.key.add", "repository:" + team + "/" + name).team(team)
                .source(origin.address(), origin.userAgent()).detail("fingerprint", key.fingerprint()).detail("signer", key.signer()));
        return new TrustedKeyView(key.fingerprint(), key.signer(), caller.username(), now);
    }

    public void distrustKey(Caller caller, String team, String name, String fingerprint, RequestOrigin origin) {
        AccessPolicy.require(caller, Permission.MANAGE_REPOSITORY, team);
        var row = row(team, name);
        String fpr = fingerprint == null ? "" : fingerprint.strip().toUpperCase();
        if (row.requireSigned() && store.trustedKeys(row.id()).size() == 1
                && store.trustedKeys(row.id()).getFirst().fingerprint().equals(fpr)) {
            throw new Problem.Conflict("this is the last trusted key while signatures are required; turn the requirement off first");
        }
        if (!store.removeTrustedKey(row.id(), fpr)) throw new Problem.NotFound("key " + fpr + " is not trusted by " + team + "/" + name);
        audit.record(AuditEvent.of(caller, "repository.key.remove", "repository:" + team + "/" + name).team(team)
                .source(origin.address(), origin.userAgent()).detail("fingerprint", fpr));
    }

    private RepositoryStore.Row row(String team, String name) {
        return store.find(team, name)
                .orElseThrow(() -> new Problem.NotFound("repository '" + name + "' not found in team '" + team + "'"));
    }

    /** Fetches an external repository now, as its poll or webhook would. */
    public ExternalSync.Result syncNow(Caller caller, String team, String name) {
        AccessPolicy.require(caller, Permission.PUSH_REPOSITORY, team);
        var row = store.find(team, name).filter(RepositoryStore.Row::external)
                .orElseThrow(() -> new Problem.NotFound("external repository '" + name + "' not found in team '" + team + "'"));
        return sync.sync(row.id(), caller.username());
    }

    /** Revisions that define {@code app}, newest first. */
    public List<Revision> revisionsOfApp(Caller caller, String team, String app, int limit) {
        AccessPolicy.require(caller, Permission.VIEW_REPOSITORIES, team);
        return store.revisionsOfApp(team, app, Math.clamp(limit, 1, 500));
    }

    public List<Revision> revisionsOfRepository(Caller caller, String team, String name, int limit) {
        Repository repo = get(caller, team, name);
        return store.revisionsOfRepository(repo.id(), Math.clamp(limit, 1, 500));
    }

    String cloneUrl(String team, String name) {
        return properties.baseUrl() + "/git/" + team + "/" + name + ".git";
    }

    /** A registered external repository and its webhook secret, which is shown this once. */
    public record Registered(Repository repository, String webhookSecret) {
    }

    /** What registering an external repository needs; {@code token} and {@code username} may be null. */
    public record ExternalSource(String url, String branch, String path, String username, String token, Integer pollSeconds) {
    }

    /**
     * Registers a repository Berth fetches from: https (optionally with a token), or a local path
     * on the platform's host, which only platform admins may name since it can read any repository there.
     */
    public Registered registerExternal(Caller caller, String team, String name, ExternalSource source, RequestOrigin origin) {
        AccessPolicy.require(caller, Permission.CREATE_REPOSITORY, team);
        try {
            new RepositoryName(team, name);
        } catch (IllegalArgumentException e) {
            throw new Problem.Invalid(e.getMessage());
        }
        String url = source.url() == null ? "" : source.url().strip();
        if (url.startsWith("/")) {
            if (!caller.platformAdmin()) throw new Problem.Forbidden("only platform admins may register a local path");
            if (!java.nio.file.Files.isDirectory(java.nio.file.Path.of(url))) {
                throw new Problem.Invalid("'" + url + "' is not a directory on the platform's host");
            }
        } else if (url.startsWith("https://")) {
            var uri = java.net.URI.create(url);
            if (uri.getUserInfo() != null) throw new Problem.Invalid("put credentials in 'username' and 'token', not in the URL");
            if (uri.getHost() == null) throw new Problem.Invalid("'" + url + "' has no host");
        } else {
            throw new Problem.Invalid("the url must start with https:// (or be an absolute local path); got '" + url + "'");
        }
        String branch = source.branch() == null || source.branch().isBlank() ? "main" : source.branch().strip();
        if (!BRANCH.matcher(branch).matches() || branch.contains("..")) throw new Problem.Invalid("branch '" + branch + "' is not valid");
        String path = source.path() == null || source.path().isBlank() ? DEFINITION_PATH : source.path().strip();
        if (path.startsWith("/") || path.contains("..") || path.contains("//") || path.endsWith("/")) {
            throw new Problem.Invalid("path '" + path + "' must be a relative file path inside the repository, like deploy/berth.yaml");
        }
        int poll = source.pollSeconds() == null ? 60 : source.pollSeconds();
        if (poll < 10 || poll > 86_400) throw new Problem.Invalid("pollSeconds must be between 10 and 86400");
        String webhookSecret = WebhookSecrets.random();
        var now = clock.instant();
        long id = tx.execute(s -> {
            long teamId = teams.idOf(team);
            // Sealed bound to this row and, for the token, to this URL (RepositorySeals).
            var remote = new RepositoryStore.Remote(url, blankToNull(source.username()),
                    source.token() == null || source.token().isBlank() ? null
                            : secrets.seal(source.token(), RepositorySeals.remoteToken(teamId, name, url)),
                    secrets.seal(webhookSecret, RepositorySeals.webhookSecret(teamId, name)), poll, null, null, null);
            return store.insertExternal(teamId, name, branch, path, remote, now, caller.username())
                    .orElseThrow(() -> new Problem.Conflict("repository '" + name + "' already exists in team '" + team + "'"));
        });
        audit.record(AuditEvent.of(caller, "repository.register", "repository:" + team + "/" + name).team(team)
                .source(origin.address(), origin.userAgent()).detail("url", url).detail("branch", branch).detail("path", path));
        // The first fetch starts now rather than at the first poll; the repository shows how it goes.
        syncRequests.request(id);
        return new Registered(view(store.find(id).orElseThrow()), webhookSecret);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** As {@code caller} may see it: why a sync failed in full only to those who may sync (DEPLOYER and up). */
    private Repository view(Caller caller, RepositoryStore.Row row) {
        Repository full = view(row);
        if (full.remote() == null || full.remote().lastSyncError() == null
                || AccessPolicy.decide(caller, Permission.PUSH_REPOSITORY, row.team()) instanceof AccessPolicy.Allowed) {
            return full;
        }
        var r = full.remote();
        String shown = SyncErrors.forViewer(r.lastSyncError());
        var s = r.sync();
        var sync = s == null ? null : new Repository.Sync(s.state(), s.trigger(), s.startedAt(), s.finishedAt(), s.commit(),
                s.revision(), s.error() == null ? null : shown);
        return new Repository(full.id(), full.team(), full.name(), full.kind(), full.deployBranch(), full.definitionPath(),
                full.createdAt(), full.createdBy(), full.cloneUrl(), new Repository.Remote(r.url(), r.username(), r.pollSeconds(),
                r.webhookUrl(), r.lastSyncAt(), r.lastSyncCommit(), shown, sync));
    }

    private Repository view(RepositoryStore.Row row) {
        if (!row.external()) {
            return new Repository(row.id(), row.team(), row.name(), row.kind(), row.deployBranch(), row.definitionPath(),
                    row.createdAt(), row.createdBy(), cloneUrl(row.team(), row.name()), null);
        }
        var r = row.remote();
        return new Repository(row.id(), row.team(), row.name(), row.kind(), row.deployBranch(), row.definitionPath(),
                row.createdAt(), row.createdBy(), null, new Repository.Remote(r.url(), r.username(), r.pollSeconds(),
                properties.baseUrl() + "/api/v1/repositories/" + row.id() + "/webhook", r.lastSyncAt(), r.lastSyncCommit(),
                r.lastSyncError(), sync(row)));
    }

    private static Repository.Sync sync(RepositoryStore.Row row) {
        var p = row.sync();
        var remote = row.remote();
        var state = p.state() == null ? Repository.SyncState.QUEUED : Repository.SyncState.valueOf(p.state());
        return new Repository.Sync(state, p.trigger(), p.startedAt(), remote.lastSyncAt(), p.fetchedCommit(), p.revision(),
                remote.lastSyncError());
    }
}
