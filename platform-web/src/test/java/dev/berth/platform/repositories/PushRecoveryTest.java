package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.gitsync.CommitId;
import dev.berth.gitsync.Person;
import dev.berth.gitsync.hosted.PushedCommit;
import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.registry.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What a platform killed in the middle of a push leaves, reproduced window by window (the intent
 * written but the ref not moved; the ref moved but nothing recorded), then settled by
 * {@link PushRecovery} as a restarted or another instance would: the push either fully happened
 * or not at all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushRecoveryTest extends PlatformTest {
    private static final String TEAM = "recover";
    private static final String USER = "recover-deployer";

    @LocalServerPort
    int port;
    @Autowired
    PushRecovery recovery;
    @Autowired
    PushRecording recording;
    @Autowired
    DefinitionReview review;
    @Autowired
    RepositoryStore repositories;
    @Autowired
    RouteClaims claims;

    private RegistryWithImage images;
    private String token;
    private PushInvariant invariant;
    private GitCli git;

    @BeforeAll
    void setUp() throws Exception {
        images = RegistryWithImage.start("berth-push-recovery", "acme/recover:1");
        var root = Api.at(port).bearer(Api.at(port).tokenFor("admin", ADMIN_PASSWORD));
        assertThat(root.post("/api/v1/teams", Map.of("name", TEAM)).status()).isEqualTo(201);
        assertThat(root.put("/api/v1/teams/" + TEAM + "/domains", Map.of("domains", List.of("*.recover.example.com"))).status())
                .isEqualTo(200);
        root.post("/api/v1/users", Map.of("username", USER, "password", TeamPushes.PASSWORD));
        root.post("/api/v1/teams/" + TEAM + "/members", Map.of("username", USER, "role", "DEPLOYER"));
        token = Api.at(port).tokenFor(USER, TeamPushes.PASSWORD);
        invariant = new PushInvariant(root, database(), GIT_DIR);
        git = new GitCli(images.work());
    }

    @AfterAll
    void tearDown() throws Exception {
        if (images != null) {
            images.registry().close();
            TestRegistry.deleteTree(images.work());
        }
    }

    private String url(String repository) {
        return "http://" + USER + ":" + token + "@127.0.0.1:" + port + "/git/" + TEAM + "/" + repository + ".git";
    }

    private String definition(String app, String host) {
        return """
                apiVersion: berth/v1
                apps:
                  %s:
                    image: %s
                    ports: [{name: http, port: 8080, publish: true}]
                    health: {http: {port: http, path: /}}
                    routes: [{host: %s, port: http}]
                """.formatted(app, images.image(), host);
    }

    /** A repository with one pushed revision routing {@code host}; returns its working copy. */
    private Path repositoryAt(String repository, String host) throws Exception {
        assertThat(invariant.root().post("/api/v1/teams/" + TEAM + "/repositories", Map.of("name", repository)).status()).isEqualTo(201);
        Path dir = Files.createDirectories(images.work().resolve(repository));
        git.ok(dir, "init", "-q");
        commit(dir, repository, host);
        git.ok(dir, "push", "-q", url(repository), "HEAD:refs/heads/main");
        return dir;
    }

    private String commit(Path dir, String app, String host) throws Exception {
        Files.writeString(dir.resolve("berth.yaml"), definition(app, host));
        git.ok(dir, "add", "berth.yaml");
        git.ok(dir, "commit", "-q", "-m", "route " + host);
        return git.ok(dir, "rev-parse", "HEAD").strip();
    }

    /**
     * What a push's review leaves before its refs move, exactly as {@link PushReview} writes it:
     * the commit's objects on the server (pushed to a side branch here), its routes reserved and
     * its intent written.
     */
    private PushIntent reviewedPush(String repository, Path dir, String from, String to, String host) throws Exception {
        var repo = repositories.find(TEAM, repository).orElseThrow();
        String[] who = git.ok(dir, "log", "-1", "--format=%an%n%ae%n%at%n%cn%n%ce%n%ct").strip().split("\n");
        var commit = new PushedCommit(new CommitId(to), new Person(who[0], who[1], Instant.ofEpochSecond(Long.parseLong(who[2]))),
                new Person(who[3], who[4], Instant.ofEpochSecond(Long.parseLong(who[5]))), "route " + host + "\n");
        byte[] raw = git.ok(dir, "cat-file", "commit", to).getBytes(StandardCharsets.UTF_8);
        var passed = (DefinitionReview.Passed) review.review(repo, commit.id(), raw,
                Optional.of(definition(repository, host).getBytes(StandardCharsets.UTF_8)));
        var intent = new PushIntent(0, repo.id(), "refs/heads/main", new CommitId(from), commit.id(), "main", USER,
                AuditEvent.Actor.user(USER), commit, passed, null);
        assertThat(recording.intend(repo, intent)).isInstanceOf(DefinitionReview.Passed.class);
        return intent;
    }

    /** A new commit routing {@code host}, its objects on the server through a side branch (a push of its own, before the lock). */
    private String sideCommit(String repository, Path dir, String host) throws Exception {
        String to = commit(dir, repository, host);
        git.ok(dir, "push", "-q", url(repository), "HEAD:refs/heads/side-" + to.substring(0, 8));
        return to;
    }

    /** What a platform killed between moving the deploy branch and recording the push leaves. */
    private PushIntent killedAfterItsRefMoved(String repository, Path dir, String before, String host) throws Exception {
        String to = sideCommit(repository, dir, host);
        try (var killedPush = invariant.holdPushLock(TEAM, repository)) {
            var intent = reviewedPush(repository, dir, before, to, host);
            git.ok(invariant.bare(TEAM, repository), "update-ref", "refs/heads/main", to, before);
            return intent;
        } // the platform died: its session, and the lock, are gone
    }

    /**
     * Settles what the killed push left, as a restarted instance does: waiting for each
     * repository's lock, since the platform's own recovery tick may be settling it at that moment
     * (a {@code recoverAll()} would pass over that repository and return before the tick is done).
     */
    private void settled() {
        recovery.atStartup();
    }

    private List<String> routedHosts(String repository) {
        return claims.ofTeam(TEAM).stream().filter(c -> c.repository().equals(repository)).map(RouteClaim::host).toList();
    }

    @Test
    void aPushKilledBeforeItsRefMovedLeavesNothingAndReleasesItsRoutes() throws Exception {
        Path dir = repositoryAt("unmoved", "a.recover.example.com");
        String before = invariant.main(TEAM, "unmoved");
        String to = sideCommit("unmoved", dir, "b.recover.example.com");
        try (var killedPush = invariant.holdPushLock(TEAM, "unmoved")) {
            reviewedPush("unmoved", dir, before, to, "b.recover.example.com");
            assertThat(routedHosts("unmoved")).as("reserved by the review").containsExactly("b.recover.example.com");
        } // the platform died: its session, and the lock, are gone
        settled();
        assertThat(invariant.main(TEAM, "unmoved")).isEqualTo(before);
        assertThat(invariant.revisions(TEAM, "unmoved")).containsExactly(before);
        assertThat(routedHosts("unmoved")).as("back to the newest revision's").containsExactly("a.recover.example.com");
        assertThat(invariant.openIntents()).isZero();
        invariant.holds(TEAM, "unmoved");
    }

    @Test
    void aPushKilledAfterItsRefMovedIsRecordedAsThePushWouldHaveBeen() throws Exception {
        Path dir = repositoryAt("moved", "c.recover.example.com");
        String before = invariant.main(TEAM, "moved");
        PushIntent intent = killedAfterItsRefMoved("moved", dir, before, "d.recover.example.com");
        settled();
        assertThat(invariant.revisions(TEAM, "moved")).containsExactly(before, intent.to().hex());
        assertThat(routedHosts("moved")).containsExactly("d.recover.example.com");
        assertThat(invariant.openIntents()).isZero();
        invariant.holds(TEAM, "moved");
        var events = invariant.root().get("/api/v1/audit?action=repository.push&actor=" + USER).body();
        assertThat(events).contains(intent.to().hex());
    }

    @Test
    void theNextPushToTheRepositorySettlesWhatAKilledOneLeftFirst() throws Exception {
        Path dir = repositoryAt("next", "e.recover.example.com");
        String before = invariant.main(TEAM, "next");
        PushIntent intent = killedAfterItsRefMoved("next", dir, before, "f.recover.example.com");
        // The pusher fetched the moved branch, and pushes on top of it.
        String after = commit(dir, "next", "g.recover.example.com");
        var pushed = git.run(dir, "push", url("next"), "HEAD:refs/heads/main");
        assertThat(pushed.exit()).as(pushed.out()).isZero();
        assertThat(invariant.revisions(TEAM, "next")).containsExactly(before, intent.to().hex(), after);
        assertThat(invariant.openIntents()).isZero();
        invariant.holds(TEAM, "next");
    }

    /** The repository's push events, one JSON line each. */
    private String deletionsAudited(String repository) {
        return invariant.root().get("/api/v1/audit?action=repository.push").body().lines()
                .filter(line -> line.contains("repository:" + TEAM + "/" + repository + "\"")).collect(java.util.stream.Collectors.joining("\n"));
    }

    /** What a platform killed in the middle of deleting {@code repository}'s deploy branch leaves; {@code deleted}: the ref went. */
    private void killedWhileDeleting(String repository, Path dir, boolean deleted) throws Exception {
        var repo = repositories.find(TEAM, repository).orElseThrow();
        String before = invariant.main(TEAM, repository);
        try (var killedPush = invariant.holdPushLock(TEAM, repository)) {
            recording.intendDeletion(new BranchDeletion(0, repo.id(), "refs/heads/main", new CommitId(before), AuditEvent.Actor.user("admin")));
            if (deleted) git.ok(invariant.bare(TEAM, repository), "update-ref", "-d", "refs/heads/main", before);
        } // the platform died before auditing the deletion
    }

    @Test
    void aDeployBranchDeletedByAnAdminIsAuditedOnceAndLeavesNothingInFlight() throws Exception {
        Path dir = repositoryAt("deleted", "h.recover.example.com");
        String admin = Api.at(port).tokenFor("admin", ADMIN_PASSWORD);
        var deleted = git.run(dir, "push", "http://admin:" + admin + "@127.0.0.1:" + port + "/git/" + TEAM + "/deleted.git",
                ":refs/heads/main");
        assertThat(deleted.exit()).as(deleted.out()).isZero();
        assertThat(invariant.openIntents()).isZero();
        assertThat(deletionsAudited("deleted")).containsOnlyOnce("deploy branch deleted").contains("refs/heads/main");
    }

    @Test
    void aDeletionKilledAfterTheBranchWentIsAuditedByRecovery() throws Exception {
        Path dir = repositoryAt("gone", "i.recover.example.com");
        killedWhileDeleting("gone", dir, true);
        assertThat(deletionsAudited("gone")).doesNotContain("deploy branch deleted");
        settled();
        assertThat(invariant.openIntents()).isZero();
        assertThat(deletionsAudited("gone")).containsOnlyOnce("deploy branch deleted").contains("\"actorType\":\"USER\",\"actor\":\"admin\"");
    }

    @Test
    void aDeletionKilledBeforeTheBranchWentIsDroppedUnaudited() throws Exception {
        Path dir = repositoryAt("kept", "j.recover.example.com");
        killedWhileDeleting("kept", dir, false);
        settled();
        assertThat(invariant.openIntents()).isZero();
        assertThat(deletionsAudited("kept")).doesNotContain("deploy branch deleted");
        invariant.holds(TEAM, "kept");
    }
}
