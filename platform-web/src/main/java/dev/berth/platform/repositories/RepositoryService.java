package dev.berth.platform.repositories;

import dev.berth.gitsync.hosted.HostedRepositories;
import dev.berth.gitsync.hosted.RepositoryName;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.AccessPolicy;
import dev.berth.platform.security.Caller;
import dev.berth.platform.security.Permission;
import dev.berth.platform.security.RequestOrigin;
import dev.berth.platform.teams.TeamRepository;
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
    private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,99}");
    static final String DEFINITION_PATH = "berth.yaml";

    private final RepositoryStore store;
    private final TeamRepository teams;
    private final HostedRepositories hosted;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final GitProperties properties;

    public RepositoryService(RepositoryStore store, TeamRepository teams, HostedRepositories hosted, AuditLog audit,
                             TransactionTemplate tx, Clock clock, GitProperties properties) {
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
        long id = tx.execute(s -> {
            var teamRow = teams.find(team).orElseThrow(() -> new Problem.NotFound("team '" + team + "' not found"));
            long inserted = store.insert(teamRow.id(), name, deployBranch, DEFINITION_PATH, now, caller.username())
                    .orElseThrow(() -> new Problem.Conflict("repository '" + name + "' already exists in team '" + team + "'"));
            try {
                // Inside the transaction: if the disk refuses, the row goes too.
                hosted.create(repoName, deployBranch);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return inserted;
        });
        audit.record(AuditEvent.of(caller.actor(), "repository.create", "repository:" + repoName).team(team)
                .source(origin.address(), origin.userAgent()).detail("branch", deployBranch));
        return view(store.find(team, name).filter(r -> r.id() == id).orElseThrow());
    }

    public List<Repository> list(Caller caller, String team) {
        AccessPolicy.require(caller, Permission.VIEW_REPOSITORIES, team);
        return store.list(team).stream().map(this::view).toList();
    }

    public Repository get(Caller caller, String team, String name) {
        AccessPolicy.require(caller, Permission.VIEW_REPOSITORIES, team);
        return store.find(team, name).map(this::view)
                .orElseThrow(() -> new Problem.NotFound("repository '" + name + "' not found in team '" + team + "'"));
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

    private Repository view(RepositoryStore.Row row) {
        return new Repository(row.id(), row.team(), row.name(), row.kind(), row.deployBranch(), row.definitionPath(),
                row.createdAt(), row.createdBy(), cloneUrl(row.team(), row.name()));
    }
}
