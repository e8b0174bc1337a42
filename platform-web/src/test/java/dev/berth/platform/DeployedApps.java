package dev.berth.platform;

import dev.berth.gitsync.CommitId;
import dev.berth.gitsync.Person;
import dev.berth.gitsync.definition.Definition;
import dev.berth.gitsync.definition.DefinitionLimits;
import dev.berth.gitsync.definition.DefinitionParser;
import dev.berth.gitsync.definition.ParseResult;
import dev.berth.gitsync.hosted.PushedCommit;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.deployments.DeploymentStore;
import dev.berth.platform.deployments.ReplicaStore;
import dev.berth.platform.repositories.DefinitionReview;
import dev.berth.platform.repositories.RepositoryStore;
import dev.berth.platform.repositories.Revision;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Seeds the deployer's record without a registry or agents: a revision recorded as if pushed to a
 * team's repository (which creates the app's deployment), and replica rows on a host, for tests
 * that need an app with replicas but not the rollout. The app asks for no replicas, so the
 * reconciler never starts any of its own.
 */
public class DeployedApps {
    private final DefinitionReview review;
    private final RepositoryStore repositories;
    private final DeploymentStore deployments;
    private final ReplicaStore replicas;

    public DeployedApps(DefinitionReview review, RepositoryStore repositories, DeploymentStore deployments, ReplicaStore replicas) {
        this.review = review;
        this.repositories = repositories;
        this.deployments = deployments;
        this.replicas = replicas;
    }

    /** With the stores of a running platform. */
    public static DeployedApps in(org.springframework.context.ApplicationContext context) {
        return new DeployedApps(context.getBean(DefinitionReview.class), context.getBean(RepositoryStore.class),
                context.getBean(DeploymentStore.class), context.getBean(ReplicaStore.class));
    }

    /** What was seeded: the revision, and each replica's id as stored. */
    public record Seeded(long revision, List<String> replicas) {
    }

    /** Records {@code app} in {@code repository} of {@code team} and gives it the named replicas on {@code hostId}. */
    public Seeded seed(String team, String repository, String app, String hostId, String... replicaIds) {
        var repo = repositories.find(team, repository).orElseThrow();
        long revision = record(team, repository, 0, app);
        var deployment = deployments.newest(repo.teamId(), app).orElseThrow();
        var ids = new java.util.ArrayList<String>();
        for (String id : replicaIds) {
            ids.add(replicas.insert(id, repo.teamId(), app, revision, deployment.id(), hostId, Instant.now(), true));
        }
        return new Seeded(revision, ids);
    }

    /** Records a revision of {@code repository} that defines only {@code apps}, each asking for {@code count} replicas; its id. */
    public long record(String team, String repository, int count, String... apps) {
        var text = new StringBuilder("apiVersion: berth/v1\napps:\n");
        for (String app : apps) text.append("  ").append(app).append(":\n    image: busybox:1\n    replicas: ").append(count).append('\n');
        byte[] yaml = text.toString().getBytes(StandardCharsets.UTF_8);
        if (!(DefinitionParser.parse("berth.yaml", yaml, DefinitionLimits.DEFAULTS) instanceof ParseResult.Valid(Definition definition))) {
            throw new AssertionError("the seed definition does not parse");
        }
        var repo = repositories.find(team, repository).orElseThrow();
        var who = new Person("Ada", "ada@example.com", Instant.now());
        long revision = review.record(repo, new PushedCommit(new CommitId("a".repeat(40)), who, who, "seed"), "main", "admin",
                AuditEvent.Actor.user("admin"), new DefinitionReview.Passed(yaml, definition,
                        java.util.Arrays.stream(apps).map(app -> new Revision.PinnedImage(app, "busybox:1", "sha256:" + "ab".repeat(32)))
                                .toList(), "unsigned"),
                id -> AuditEvent.of(AuditEvent.Actor.user("admin"), "repository.push", "repository:" + team + "/" + repository));
        return revision;
    }
}
