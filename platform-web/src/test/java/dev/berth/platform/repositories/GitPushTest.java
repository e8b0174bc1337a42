package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import dev.berth.gitsync.CommitId;
import dev.berth.gitsync.hosted.Push;
import dev.berth.gitsync.hosted.PushGate;
import dev.berth.gitsync.hosted.PushedCommit;
import dev.berth.gitsync.hosted.RefChange;
import dev.berth.gitsync.hosted.RepositoryName;
import dev.berth.platform.web.security.BerthUserDetailsService;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import dev.berth.gitsync.signing.TestKeys;
import dev.berth.registry.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code git push} to deploy: Debian's git CLI against the running platform over HTTP on
 * loopback, with images in a real registry. Every refusal must reach the pusher's terminal as
 * {@code remote:} lines and record nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GitPushTest extends PlatformTest {
    private static final String TEAM = "gitops";
    private static final String PASSWORD = "a-long-enough-password";

    @LocalServerPort
    int port;
    @Autowired
    PushReview pushReview;
    @Autowired
    BerthUserDetailsService userDetails;

    private Api root;
    private TestRegistry registry;
    private Path work;
    private String image;
    private String imageDigest;
    private final Map<String, String> tokens = new java.util.HashMap<>();

    @BeforeAll
    void setUp() throws Exception {
        var images = RegistryWithImage.start("berth-git-push", "acme/web:1");
        registry = images.registry();
        work = images.work();
        image = images.image();
        imageDigest = images.digest();

        root = Api.at(port).bearer(Api.at(port).tokenFor("admin", ADMIN_PASSWORD));
        root.post("/api/v1/teams", Map.of("name", TEAM));
        for (String role : List.of("viewer", "deployer", "admin")) {
            String user = "git-" + role;
            root.post("/api/v1/users", Map.of("username", user, "password", PASSWORD));
            root.post("/api/v1/teams/" + TEAM + "/members", Map.of("username", user, "role", role.toUpperCase()));
            tokens.put(user, Api.at(port).tokenFor(user, PASSWORD));
        }
        root.post("/api/v1/users", Map.of("username", "git-outsider", "password", PASSWORD));
        tokens.put("git-outsider", Api.at(port).tokenFor("git-outsider", PASSWORD));
    }

    @AfterAll
    void tearDown() throws Exception {
        if (registry != null) registry.close();
        if (work != null) TestRegistry.deleteTree(work);
    }

    private String createRepository(String name) {
        var created = root.post("/api/v1/teams/" + TEAM + "/repositories", Map.of("name", name));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("cloneUrl").asString();
    }

    private String url(String user, String secret, String repository) {
        return "http://" + user + ":" + secret + "@127.0.0.1:" + port + "/git/" + TEAM + "/" + repository + ".git";
    }

    private GitCli.Result git(Path dir, String... args) throws IOException, InterruptedException {
        return new GitCli(work).run(dir, args);
    }

    private Path checkout(String name) throws Exception {
        Path dir = Files.createDirectories(work.resolve("checkout-" + name));
        assertThat(git(dir, "init", "-q").exit()).isZero();
        return dir;
    }

    private GitCli.Result commitAndPush(Path dir, String yaml, String user, String repository, String... pushArgs) throws Exception {
        Files.writeString(dir.resolve("berth.yaml"), yaml);
        git(dir, "add", "berth.yaml");
        git(dir, "commit", "-q", "-m", "deploy " + yaml.hashCode());
        var args = new ArrayList<>(List.of("push", url(user, tokens.get(user), repository), "HEAD:refs/heads/main"));
        args.addAll(List.of(pushArgs));
        return git(dir, args.toArray(String[]::new));
    }

    private String app(String name, String imageRef, int replicas) {
        return """
                apiVersion: berth/v1
                apps:
                  %s:
                    image: %s
                    replicas: %d
                """.formatted(name, imageRef, replicas);
    }

    private String remoteMain(String repository) throws Exception {
        var out = git(work, "ls-remote", url("git-admin", tokens.get("git-admin"), repository), "refs/heads/main").out().strip();
        return out.isEmpty() ? "" : out.split("\\s+")[0];
    }

    @Test
    void aValidPushBecomesARevisionWithThePinnedDigest() throws Exception {
        String cloneUrl = createRepository("web");
        // The address the request came to, as the caller sees the platform.
        assertThat(cloneUrl).isEqualTo("http://localhost:" + port + "/git/" + TEAM + "/web.git");
        Path dir = checkout("web");

        var push = commitAndPush(dir, app("web", image, 2), "git-deployer", "web");
        assertThat(push.exit()).as(push.out()).isZero();
        assertThat(push.out()).containsPattern("remote: Berth: revision \\d+ recorded for [0-9a-f]{12}")
                .contains("remote:   web: " + image + " pinned to " + imageDigest)
                .contains("remote:   http://127.0.0.1:" + port + "/repositories?team=" + TEAM + "&repository=web");

        var response = root.get("/api/v1/teams/" + TEAM + "/apps/web/revisions");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        var revisions = response.json();
        assertThat(revisions.size()).isEqualTo(1);
        String head = git(dir, "rev-parse", "HEAD").out().strip();
        assertThat(revisions.get(0).path("commit").asString()).isEqualTo(head);
        assertThat(revisions.get(0).path("pushedBy").asString()).isEqualTo("git-deployer");
        assertThat(revisions.get(0).path("author").asString()).isEqualTo("Ada Lovelace <ada@example.com>");
        assertThat(revisions.get(0).path("images").get(0).path("digest").asString()).isEqualTo(imageDigest);

        var audit = root.get("/api/v1/audit?action=repository.push").body();
        assertThat(audit).contains(head).contains("git-deployer");
    }

    @Test
    void anInvalidDefinitionIsRefusedWithItsPositionAndNothingIsRecorded() throws Exception {
        createRepository("invalid");
        Path dir = checkout("invalid");
        var push = commitAndPush(dir, app("broken", image, -1), "git-deployer", "invalid");
        assertThat(push.exit()).isNotZero();
        assertThat(push.out()).contains("remote: berth.yaml:5:15: replicas must be at least 0")
                .contains("remote: Berth refused this push: nothing was recorded.")
                .contains("[remote rejected] HEAD -> main (invalid berth.yaml)");
        assertThat(remoteMain("invalid")).isEmpty();
        assertThat(root.get("/api/v1/teams/" + TEAM + "/apps/broken/revisions").json().size()).isZero();
    }

    @Test
    void anImageThatDoesNotResolveIsRefusedWithTheRegistrysReason() throws Exception {
        createRepository("ghost");
        Path dir = checkout("ghost");
        var push = commitAndPush(dir, app("ghost", registry.host() + "/acme/missing:1", 1), "git-deployer", "ghost");
        assertThat(push.exit()).isNotZero();
        assertThat(push.out()).contains("remote: berth.yaml: app 'ghost': image " + registry.host() + "/acme/missing:1 cannot be resolved");
        assertThat(remoteMain("ghost")).isEmpty();
    }

    @Test
    void rolesDecideWhoFetchesAndPushesAndOutsidersSeeNothing() throws Exception {
        createRepository("roles");
        Path dir = checkout("roles");
        assertThat(commitAndPush(dir, app("roles", image, 1), "git-admin", "roles").exit()).isZero();

        var viewerClone = git(work, "clone", "-q", url("git-viewer", tokens.get("git-viewer"), "roles"), "viewer-clone");
        assertThat(viewerClone.exit()).as(viewerClone.out()).isZero();
        assertThat(work.resolve("viewer-clone/berth.yaml")).exists();
        var viewerPush = commitAndPush(dir, app("roles", image, 2), "git-viewer", "roles");
        assertThat(viewerPush.exit()).isNotZero();
        assertThat(viewerPush.out()).contains("403");

        var outsider = git(work, "clone", "-q", url("git-outsider", tokens.get("git-outsider"), "roles"), "outsider-clone");
        var nothing = git(work, "clone", "-q", url("git-outsider", tokens.get("git-outsider"), "does-not-exist"), "none-clone");
        assertThat(outsider.exit()).isNotZero();
        assertThat(outsider.out()).contains("not found");
        assertThat(outsider.out().replace("roles", "X")).isEqualTo(nothing.out().replace("does-not-exist", "X"));

        var wrongToken = git(work, "ls-remote", url("git-viewer", "berth_000000000000_00000000000000000000000000000000", "roles"));
        assertThat(wrongToken.exit()).isNotZero();
        assertThat(wrongToken.out()).contains("Authentication failed");
        var anonymous = git(work, "ls-remote", "http://127.0.0.1:" + port + "/git/" + TEAM + "/roles.git");
        assertThat(anonymous.exit()).isNotZero();
        var password = git(work, "ls-remote", url("git-viewer", PASSWORD, "roles"));
        assertThat(password.exit()).as("a password works as well as a token").isZero();
    }

    /** A receive-pack request body moving {@code ref} from {@code from} to {@code to}, with the objects it needs. */
    private byte[] receivePackBody(Path dir, String from, String to, String ref) throws Exception {
        var pb = new GitCli(work).builder(dir, "pack-objects", "-q", "--revs", "--stdout");
        pb.redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD);
        var process = pb.start();
        try (var in = process.getOutputStream()) {
            in.write((to + "\n^" + from + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        byte[] pack = process.getInputStream().readAllBytes();
        assertThat(process.waitFor()).isZero();
        String command = from + " " + to + " " + ref + "\0report-status\n";
        var body = new java.io.ByteArrayOutputStream();
        body.write(String.format("%04x", command.length() + 4).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        body.write(command.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        body.write("0000".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        body.write(pack);
        return body.toByteArray();
    }

    private String narrowedToViewer(String user) {
        var r = Api.at(port).bearer(tokens.get(user)).post("/api/v1/tokens", Map.of("name", "viewer-only", "team", TEAM, "role", "VIEWER"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("token").asString();
    }

    @Test
    void aViewerCannotPushByAnySpellingAndTheDeployBranchStaysWhereItWas() throws Exception {
        createRepository("guarded");
        Path dir = checkout("guarded");
        assertThat(commitAndPush(dir, app("guarded", image, 1), "git-admin", "guarded").exit()).isZero();
        String accepted = remoteMain("guarded");
        Files.writeString(dir.resolve("berth.yaml"), app("guarded", image, 3));
        git(dir, "commit", "-q", "-am", "viewer's change");
        String change = git(dir, "rev-parse", "HEAD").out().strip();
        String viewerToken = tokens.get("git-viewer");
        String adminAsViewer = narrowedToViewer("git-admin");

        // What a script can send that git does not: the service name with a letter percent-encoded.
        byte[] body = receivePackBody(dir, accepted, change, "refs/heads/main");
        var headers = Map.of("Content-Type", "application/x-git-receive-pack-request");
        for (String secret : List.of(viewerToken, adminAsViewer)) {
            String user = secret.equals(viewerToken) ? "git-viewer" : "git-admin";
            for (String service : List.of("git-receive-p%61ck", "git-receive-pac%6B", "git-r%65ceive-pack", "%67it-receive-pack")) {
                var response = dev.berth.platform.RawHttp.at(port).basic(user, secret)
                        .send("POST", "/git/" + TEAM + "/guarded.git/" + service, body, headers);
                assertThat(remoteMain("guarded")).as("main after " + service + " as " + user + ": " + response).isEqualTo(accepted);
                assertThat(response.status()).as(service + " as " + user + ": " + response).isEqualTo(400);
                assertThat(response.contentType()).startsWith("application/problem+json");
            }
            var canonical = dev.berth.platform.RawHttp.at(port).basic(user, secret)
                    .send("POST", "/git/" + TEAM + "/guarded.git/git-receive-pack", body, headers);
            assertThat(canonical.status()).as(canonical.toString()).isEqualTo(403);
        }
        var plain = git(dir, "push", url("git-viewer", viewerToken, "guarded"), "HEAD:refs/heads/main");
        assertThat(plain.exit()).isNotZero();
        assertThat(plain.out()).contains("403");
        var narrowed = git(dir, "push", url("git-admin", adminAsViewer, "guarded"), "HEAD:refs/heads/main");
        assertThat(narrowed.exit()).isNotZero();
        assertThat(narrowed.out()).contains("403");
        var encodedUrl = git(dir, "push", url("git-viewer", viewerToken, "gu%61rded"), "HEAD:refs/heads/main");
        assertThat(encodedUrl.exit()).isNotZero();
        assertThat(encodedUrl.out()).contains("400");

        assertThat(remoteMain("guarded")).isEqualTo(accepted);
        assertThat(root.get("/api/v1/teams/" + TEAM + "/apps/guarded/revisions").json().size()).isEqualTo(1);

        // The same request as a DEPLOYER goes through: the body itself is a good push.
        var deployer = dev.berth.platform.RawHttp.at(port).basic("git-deployer", tokens.get("git-deployer"))
                .send("POST", "/git/" + TEAM + "/guarded.git/git-receive-pack", body, headers);
        assertThat(deployer.status()).as(deployer.toString()).isEqualTo(200);
        assertThat(deployer.body()).contains("ok refs/heads/main");
        assertThat(remoteMain("guarded")).isEqualTo(change);
    }

    /**
     * The gate itself refuses a push by someone who may not push, as it would if anything in front
     * of the servlet let one through: it decides before it reads a single object of the push.
     */
    @Test
    void thePushGateRefusesCallersWithoutThePushPermissionByItself() {
        createRepository("gate");
        var change = new RefChange("refs/heads/main", null, new CommitId("a".repeat(40)), RefChange.Kind.CREATE);
        for (String user : List.of("git-viewer", "git-outsider")) {
            var push = new Push() {
                @Override
                public RepositoryName repository() {
                    return new RepositoryName(TEAM, "gate");
                }

                @Override
                public String pusher() {
                    return user;
                }

                @Override
                public List<RefChange> changes() {
                    return List.of(change);
                }

                @Override
                public PushedCommit commit(CommitId id) {
                    throw new AssertionError("the gate read the commit of a push it must refuse");
                }

                @Override
                public byte[] rawCommit(CommitId id) {
                    throw new AssertionError("the gate read the commit of a push it must refuse");
                }

                @Override
                public Optional<byte[]> file(CommitId id, String path, int maxBytes) {
                    throw new AssertionError("the gate read a file of a push it must refuse");
                }
            };
            var principal = userDetails.loadUserByUsername(user);
            SecurityContextHolder.getContext().setAuthentication(
                    UsernamePasswordAuthenticationToken.authenticated(principal, null, principal.getAuthorities()));
            try {
                assertThat(pushReview.review(push)).as(user).isInstanceOfSatisfying(PushGate.Verdict.Refuse.class, refuse -> {
                    assertThat(refuse.reason()).isEqualTo("not allowed to push");
                    assertThat(refuse.messages()).contains("Berth refused this push: nothing was recorded.");
                });
            } finally {
                SecurityContextHolder.clearContext();
            }
        }
        assertThat(root.get("/api/v1/audit?action=repository.push").body()).contains("not allowed to push").contains("git-outsider");
    }

    /** A commit of the staged tree signed with {@code key}, written with git's own object writer. */
    private String signedCommit(Path dir, TestKeys.Key key, String who, String message) throws Exception {
        String tree = git(dir, "write-tree").out().strip();
        var parent = git(dir, "rev-parse", "-q", "--verify", "HEAD");
        long now = Instant.now().getEpochSecond();
        String payload = "tree " + tree + "\n" + (parent.exit() == 0 ? "parent " + parent.out().strip() + "\n" : "")
                + "author " + who + " " + now + " +0000\ncommitter " + who + " " + now + " +0000\n\n" + message + "\n";
        byte[] commit = TestKeys.signed(payload, TestKeys.signWith(key.primary(), payload, Instant.now()));
        Path file = Files.write(work.resolve("commit-" + System.nanoTime()), commit);
        String id = git(dir, "hash-object", "-t", "commit", "-w", file.toString()).out().strip();
        git(dir, "reset", "-q", "--soft", id);
        return id;
    }

    @Test
    void aRepositoryThatRequiresSignaturesTakesOnlyCommitsByItsTrustedKeys() throws Exception {
        createRepository("signed");
        String settings = "/api/v1/teams/" + TEAM + "/repositories/signed";
        var ada = TestKeys.generate("Ada Lovelace <ada@example.com>");
        var mallory = TestKeys.generate("Mallory <mallory@example.com>");
        assertThat(root.put(settings + "/signing", Map.of("required", true)).body()).contains("add a trusted key first");
        var junk = root.post(settings + "/trusted-keys", Map.of("armored", "not a key"));
        assertThat(junk.status()).isEqualTo(400);
        var added = root.post(settings + "/trusted-keys", Map.of("armored", ada.armoredPublic()));
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(added.json().path("signer").asString()).isEqualTo("Ada Lovelace <ada@example.com>");
        assertThat(root.put(settings + "/signing", Map.of("required", true)).json().path("required").asBoolean()).isTrue();

        Path dir = checkout("signed");
        var unsigned = commitAndPush(dir, app("signed", image, 1), "git-deployer", "signed");
        assertThat(unsigned.exit()).isNotZero();
        assertThat(unsigned.out()).containsPattern("remote: commit [0-9a-f]{12}: unsigned; gitops/signed accepts only commits"
                + " signed by one of its trusted keys").contains("(unsigned commit)");

        signedCommit(dir, mallory, "Mallory <mallory@example.com>", "sneak in");
        var untrusted = git(dir, "push", url("git-deployer", tokens.get("git-deployer"), "signed"), "HEAD:refs/heads/main");
        assertThat(untrusted.exit()).isNotZero();
        assertThat(untrusted.out()).contains("untrusted key");

        String good = signedCommit(dir, ada, "Ada Lovelace <ada@example.com>", "signed deploy");
        var signed = git(dir, "push", url("git-deployer", tokens.get("git-deployer"), "signed"), "HEAD:refs/heads/main");
        assertThat(signed.exit()).as(signed.out()).isZero();
        var revision = root.get("/api/v1/teams/" + TEAM + "/apps/signed/revisions").json().get(0);
        assertThat(revision.path("commit").asString()).isEqualTo(good);
        assertThat(revision.path("signature").asString()).isEqualTo("verified: Ada Lovelace <ada@example.com>");
    }

    @Test
    void onlyAdminsRewriteTheDeployBranchAndPacksAreCapped() throws Exception {
        createRepository("history");
        Path dir = checkout("history");
        assertThat(commitAndPush(dir, app("history", image, 1), "git-deployer", "history").exit()).isZero();
        String accepted = remoteMain("history");
        git(dir, "commit", "-q", "--amend", "-m", "rewritten");
        var force = git(dir, "push", "--force", url("git-deployer", tokens.get("git-deployer"), "history"), "HEAD:refs/heads/main");
        assertThat(force.exit()).isNotZero();
        assertThat(force.out()).contains("remote: only team ADMINs may force-push to the deploy branch 'main'");
        assertThat(remoteMain("history")).isEqualTo(accepted);
        var delete = git(dir, "push", url("git-deployer", tokens.get("git-deployer"), "history"), ":refs/heads/main");
        assertThat(delete.out()).contains("remote: only team ADMINs may delete the deploy branch 'main'");
        var adminForce = git(dir, "push", "--force", url("git-admin", tokens.get("git-admin"), "history"), "HEAD:refs/heads/main");
        assertThat(adminForce.exit()).as(adminForce.out()).isZero();

        // Files each below the object limit, together above the pack limit.
        var random = new Random(42);
        for (int i = 0; i < 3; i++) {
            byte[] noise = new byte[(int) (MAX_OBJECT_BYTES - 1024)];
            random.nextBytes(noise);
            Files.write(dir.resolve("blob" + i + ".bin"), noise);
        }
        git(dir, "add", ".");
        git(dir, "commit", "-q", "-m", "too big");
        var big = git(dir, "push", url("git-admin", tokens.get("git-admin"), "history"), "HEAD:refs/heads/main");
        assertThat(big.exit()).isNotZero();
        // JGit's limit says so, except when the limit falls where the socket has nothing buffered
        // that instant: its limited stream then ends the pack instead ("Packfile is truncated").
        assertThat(big.out()).as(big.out()).containsAnyOf("Pack exceeds the limit", "pack exceeds the limit",
                "Packfile is truncated");
        assertThat(remoteMain("history")).as("nothing of the refused pack moved the branch").isNotEqualTo(git(dir, "rev-parse", "HEAD").out().strip());
    }

    @Test
    void aFileAboveTheObjectLimitIsRefusedEvenInASmallPack() throws Exception {
        createRepository("bigfile");
        Path dir = checkout("bigfile");
        assertThat(commitAndPush(dir, app("bigfile", image, 1), "git-admin", "bigfile").exit()).isZero();
        String accepted = remoteMain("bigfile");
        byte[] noise = new byte[(int) (MAX_OBJECT_BYTES + (MAX_OBJECT_BYTES / 2))];
        new Random(7).nextBytes(noise);
        assertThat((long) noise.length).isLessThan(MAX_PACK_BYTES);
        Files.write(dir.resolve("big.bin"), noise);
        git(dir, "add", "big.bin");
        git(dir, "commit", "-q", "-m", "one big file");
        var big = git(dir, "push", url("git-admin", tokens.get("git-admin"), "bigfile"), "HEAD:refs/heads/main");
        assertThat(big.exit()).as(big.out()).isNotZero();
        // JGit formats the numbers in the server's locale, which is this JVM's.
        var number = java.text.NumberFormat.getIntegerInstance();
        assertThat(big.out()).as(big.out()).contains("Object too large (" + number.format(noise.length) + " bytes)")
                .contains("Max object size limit is " + number.format(MAX_OBJECT_BYTES) + " bytes");
        assertThat(remoteMain("bigfile")).isEqualTo(accepted);
    }
}
