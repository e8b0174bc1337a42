package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.gitsync.CommitId;
import dev.berth.gitsync.Person;
import dev.berth.gitsync.definition.Definition;
import dev.berth.gitsync.definition.DefinitionLimits;
import dev.berth.gitsync.definition.DefinitionParser;
import dev.berth.gitsync.definition.ParseResult;
import dev.berth.gitsync.hosted.PushedCommit;
import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.deployments.DeploymentStore;
import dev.berth.platform.deployments.ReplicaStore;
import dev.berth.platform.repositories.DefinitionReview;
import dev.berth.platform.repositories.RepositoryStore;
import dev.berth.platform.repositories.Revision;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The CLI, run in-process as its launcher runs it (arguments, stdin, stdout, stderr, environment),
 * against the whole platform on a real port and a real PostgreSQL; the app's revisions, replica
 * and log lines come in as pushes and an agent would bring them. The rollback runs last: it
 * changes what the app should run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliAgainstPlatformTest extends PlatformTest {
    private static final String TEAM = "cli-team";
    private static final String OTHER_TEAM = "cli-other";
    private static final String VIEWER = "cli-viewer";
    private static final String PASSWORD = "cli-password-long-enough";
    private static final String REPLICA = "cli-team.web.r1.0";

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;
    @TempDir
    Path config;

    private String platform;
    private String adminToken;
    private String viewerToken;
    private long first;
    private long second;
    private Api agent;

    /** What one run printed, and how it ended. */
    record Run(ExitCode code, String out, String err) {
        JsonNode json() {
            return PlatformClient.JSON.readTree(out);
        }
    }

    @BeforeAll
    void seed() {
        platform = "http://127.0.0.1:" + port;
        var api = Api.at(port);
        var root = api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
        adminToken = api.tokenFor("admin", ADMIN_PASSWORD);
        expect(201, root.post("/api/v1/users", Map.of("username", VIEWER, "password", PASSWORD)));
        expect(201, root.post("/api/v1/teams", Map.of("name", TEAM)));
        expect(201, root.post("/api/v1/teams", Map.of("name", OTHER_TEAM)));
        expect(201, root.post("/api/v1/teams/" + TEAM + "/members", Map.of("username", VIEWER, "role", "VIEWER")));
        expect(201, root.post("/api/v1/teams/" + TEAM + "/repositories", Map.of("name", "shop")));
        viewerToken = api.tokenFor(VIEWER, PASSWORD);

        // A host too small for any placement: the reconciler starts nothing of its own there, and the
        // replica below, put in the record as a rollout would, is the one the app wants.
        var token = root.post("/api/v1/hosts/join-tokens", Map.of());
        expect(201, token);
        var registered = api.anonymous().post("/agent/v1/register", Map.of("version", 1, "joinToken",
                token.json().get("token").asString(), "hostname", "cli-host.test",
                "capacity", Map.of("memoryBytes", 1L << 20, "cpuMillis", 1), "agentVersion", "test"));
        expect(201, registered);
        String hostId = registered.json().get("hostId").asString();
        agent = api.bearer(registered.json().get("credential").asString());
        // Alive before the replica is put on it: a replica on a host without heartbeats is stopped.
        expect(204, agent.post("/agent/v1/heartbeat", Map.of("version", 1, "capacity", Map.of("memoryBytes", 1L << 20,
                "cpuMillis", 1), "containers", List.of())));
        first = push("cd", 0);
        second = push("ef", 1);
        var repo = context.getBean(RepositoryStore.class).find(TEAM, "shop").orElseThrow();
        var deployment = context.getBean(DeploymentStore.class).newest(repo.teamId(), "web").orElseThrow();
        String replica = context.getBean(ReplicaStore.class).insert(REPLICA, repo.teamId(), "web", second, deployment.id(), hostId,
                Instant.now(), true);
        assertThat(replica).isEqualTo(REPLICA);
        expect(204, agent.post("/agent/v1/heartbeat", Map.of("version", 1, "capacity", Map.of("memoryBytes", 1L << 20,
                "cpuMillis", 1), "containers", List.of(Map.of("name", REPLICA, "app", TEAM + ".web", "state", "running",
                "oomKilled", false)))));
        expect(204, agent.post("/agent/v1/logs", Map.of("version", 1, "chunks", List.of(Map.of(
                "container", REPLICA, "offset", 0, "text", "listening on :8080\nready\n")))));
    }

    /** Records a revision of "shop" defining "web" with the image digest {@code digestByte} repeated, as a push would; its id. */
    private long push(String digestByte, int replicas) {
        byte[] yaml = ("apiVersion: berth/v1\napps:\n  web:\n    image: busybox:1\n    replicas: " + replicas + "\n")
                .getBytes(StandardCharsets.UTF_8);
        if (!(DefinitionParser.parse("berth.yaml", yaml, DefinitionLimits.DEFAULTS) instanceof ParseResult.Valid(Definition definition))) {
            throw new AssertionError("the definition does not parse");
        }
        var repo = context.getBean(RepositoryStore.class).find(TEAM, "shop").orElseThrow();
        var who = new Person("Ada", "ada@example.com", Instant.now());
        return context.getBean(DefinitionReview.class).record(repo, new PushedCommit(new CommitId(digestByte.repeat(20)), who, who,
                        "push " + digestByte), "main", "admin", AuditEvent.Actor.user("admin"),
                new DefinitionReview.Passed(yaml, definition, List.of(new Revision.PinnedImage("web", "busybox:1",
                        "sha256:" + digestByte.repeat(32))), "unsigned"),
                id -> AuditEvent.of(AuditEvent.Actor.user("admin"), "repository.push", "repository:" + TEAM + "/shop"));
    }

    private static void expect(int status, Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
    }

    private Run berth(String stdin, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var terminal = new Terminal(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("XDG_CONFIG_HOME", config.toString(), "PATH", "/nonexistent"));
        var code = new BerthCli(terminal).run(List.of(args));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path credentials() {
        return config.resolve("berth").resolve("credentials.json");
    }

    private void signIn(String token) {
        var run = berth(token + "\n", "login", platform, "--token-stdin");
        assertThat(run.code()).as(run.toString()).isEqualTo(ExitCode.OK);
    }

    @Test
    void aWrongTokenSignsNothingIn() {
        var run = berth("berth_not-a-real-token\n", "login", platform, "--token-stdin");
        assertThat(run.code()).isEqualTo(ExitCode.NOT_ALLOWED);
        assertThat(run.err()).startsWith("berth: not signed in: the platform refused GET /api/v1/teams (401)");
        assertThat(credentials()).doesNotExist();

        var apps = berth("", "apps", "--team", TEAM);
        assertThat(apps.code()).isEqualTo(ExitCode.NOT_ALLOWED);
        assertThat(apps.err()).contains("not signed in: run berth login URL first");
    }

    @Test
    void aGoodTokenIsCheckedThenKeptOwnerOnly() throws Exception {
        var run = berth(viewerToken + "\n", "login", platform + "/", "--token-stdin");
        assertThat(run.code()).as(run.toString()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("signed in to " + platform + " (teams: " + TEAM + ")");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials()))).isEqualTo("rw-------");
        assertThat(Files.readString(credentials())).contains(platform).contains(viewerToken);

        // The only team is the default one.
        assertThat(berth("", "apps").out()).contains("web");

        var out = berth("", "logout");
        assertThat(out.code()).isEqualTo(ExitCode.OK);
        assertThat(Files.readString(credentials())).doesNotContain(viewerToken);
        assertThat(berth("", "apps").code()).isEqualTo(ExitCode.NOT_ALLOWED);
    }

    @Test
    void appsStatusAndDeploysInTextAndJson() {
        signIn(adminToken);
        var apps = berth("", "apps", "--team", TEAM);
        assertThat(apps.code()).as(apps.toString()).isEqualTo(ExitCode.OK);
        assertThat(apps.out().lines().toList()).first().asString().startsWith("NAME").contains("REVISION").contains("LAST DEPLOYMENT");
        assertThat(apps.out()).containsPattern("web +r" + second + " +[01]/1 healthy +cli-host.test +push of r" + second + " (in-progress|succeeded)");
        var appsJson = berth("", "apps", "--team", TEAM, "--output", "json");
        assertThat(appsJson.json().get(0).get("name").asString()).isEqualTo("web");
        assertThat(appsJson.json().get(0).get("revision").asLong()).isEqualTo(second);

        var status = berth("", "--team", TEAM, "status", "web");
        assertThat(status.code()).as(status.toString()).isEqualTo(ExitCode.OK);
        assertThat(status.out()).contains("app web (team " + TEAM + ")").contains("revision r" + second)
                .contains(REPLICA).contains("cli-host.test").contains("differences:");
        var statusJson = berth("", "--team", TEAM, "-o", "json", "status", "web");
        assertThat(statusJson.json().get("replicas").get(0).get("id").asString()).isEqualTo(REPLICA);
        assertThat(statusJson.json().get("differences").isArray()).isTrue();

        var deploys = berth("", "--team", TEAM, "deploys", "web");
        assertThat(deploys.code()).as(deploys.toString()).isEqualTo(ExitCode.OK);
        assertThat(deploys.out()).containsPattern("r" + second + " +push").containsPattern("r" + first + " +push");
        var deploysJson = berth("", "--team", TEAM, "deploys", "web", "--output=json");
        assertThat(deploysJson.json().get(0).get("revision").asLong()).isEqualTo(second);
    }

    @Test
    void logsShowTheReplicasLines() {
        signIn(adminToken);
        var logs = berth("", "--team", TEAM, "logs", "web");
        assertThat(logs.code()).as(logs.toString()).isEqualTo(ExitCode.OK);
        assertThat(logs.out()).as(logs.toString()).isEqualTo("listening on :8080\nready\n");
        var json = berth("", "--team", TEAM, "logs", "web", "-o", "json");
        assertThat(json.json().get("replica").asString()).isEqualTo(REPLICA);
        assertThat(json.json().get("lines").get(1).get("text").asString()).isEqualTo("ready");
    }

    /** After the plain read of the log, which expects only the first lines. */
    @Test
    @Order(Integer.MAX_VALUE - 1)
    void followingPrintsLinesAsTheyArrive() throws Exception {
        signIn(adminToken);
        var lines = new java.util.concurrent.LinkedBlockingQueue<String>();
        var out = new PrintStream(new TerminalLines(lines), true, StandardCharsets.UTF_8);
        var terminal = new Terminal(new ByteArrayInputStream(new byte[0]), out, new PrintStream(new ByteArrayOutputStream()),
                Map.of("XDG_CONFIG_HOME", config.toString()));
        var code = new java.util.concurrent.atomic.AtomicReference<ExitCode>();
        var follower = Thread.ofVirtual().start(() -> code.set(new BerthCli(terminal).run(List.of("--team", TEAM, "logs", "-f", "web"))));
        try {
            assertThat(next(lines)).isEqualTo("listening on :8080");
            assertThat(next(lines)).isEqualTo("ready");
            // The agent ships more of the same container's output: the follower picks up after what it printed.
            expect(204, agent.post("/agent/v1/logs", Map.of("version", 1, "chunks", List.of(Map.of(
                    "container", REPLICA, "offset", "listening on :8080\nready\n".length(), "text", "GET / 200\n")))));
            assertThat(next(lines)).isEqualTo("GET / 200");
        } finally {
            follower.interrupt();
            follower.join();
        }
        assertThat(code.get()).isNotNull();
    }

    /** The next line the follower printed; the bound only keeps a broken follower from hanging the build. */
    private static String next(java.util.concurrent.BlockingQueue<String> lines) throws InterruptedException {
        String line = lines.poll(2, java.util.concurrent.TimeUnit.MINUTES);
        assertThat(line).as("a line from berth logs -f").isNotNull();
        return line;
    }

    @Test
    void aSecretComesFromStdinOnly() {
        signIn(adminToken);
        var refused = berth("", "--team", TEAM, "secrets", "set", "web", "ARGUMENT_SECRET", "hunter2");
        assertThat(refused.code()).isEqualTo(ExitCode.USAGE);
        assertThat(refused.err()).contains("never as an argument");

        var set = berth("s3cret value\n", "--team", TEAM, "secrets", "set", "web", "DB_PASSWORD");
        assertThat(set.code()).as(set.toString()).isEqualTo(ExitCode.OK);
        assertThat(set.out()).doesNotContain("s3cret");
        var names = Api.at(port).bearer(adminToken).get("/api/v1/teams/" + TEAM + "/apps/web/secrets");
        assertThat(names.body()).contains("DB_PASSWORD").doesNotContain("ARGUMENT_SECRET");
    }

    /** Last: the rollback changes what the app should run, and so its replicas. */
    @Test
    @Order(Integer.MAX_VALUE)
    void rollbackReturnsToAnEarlierRevisionWithItsReason() {
        signIn(adminToken);
        var run = berth("", "--team", TEAM, "rollback", "web", Long.toString(first), "--reason", "r2 breaks checkout");
        assertThat(run.code()).as(run.toString()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).startsWith("rolling web back to r" + first + ": deployment ");

        var newest = berth("", "--team", TEAM, "-o", "json", "deploys", "web", "--limit", "1").json().get(0);
        assertThat(newest.get("kind").asString()).isEqualTo("rollback");
        assertThat(newest.get("revision").asLong()).isEqualTo(first);
        assertThat(newest.get("reason").asString()).isEqualTo("r2 breaks checkout");
    }

    @Test
    void anUnknownAppIsNotFound() {
        signIn(adminToken);
        var run = berth("", "--team", TEAM, "status", "no-such-app");
        assertThat(run.code()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(run.err()).startsWith("berth: the platform refused GET /api/v1/teams/" + TEAM + "/apps/no-such-app (404): ")
                .contains("no-such-app");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aViewerMayNotRollBackNorSetSecretsAndOtherTeamsAreClosed() {
        signIn(viewerToken);
        var rollback = berth("", "--team", TEAM, "rollback", "web", Long.toString(first), "--reason", "viewer tries");
        assertThat(rollback.code()).as(rollback.toString()).isEqualTo(ExitCode.NOT_ALLOWED);
        assertThat(rollback.err()).contains("(403): ");

        var secret = berth("x", "--team", TEAM, "secrets", "set", "web", "VIEWER_SECRET");
        assertThat(secret.code()).as(secret.toString()).isEqualTo(ExitCode.NOT_ALLOWED);

        var other = berth("", "--team", OTHER_TEAM, "apps");
        // The platform answers a team the caller is not in as not found: it does not tell whether the team exists.
        assertThat(other.code()).as(other.toString()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(other.err()).contains(OTHER_TEAM);
    }

    @Test
    void openSaysWhenAnAppHasNoAddress() {
        signIn(adminToken);
        var run = berth("", "--team", TEAM, "open", "web");
        assertThat(run.code()).isEqualTo(ExitCode.FAILED);
        assertThat(run.err()).contains("app web has no address");
        assertThat(berth("", "--team", TEAM, "-o", "json", "open", "web").json().get("urls").isEmpty()).isTrue();
    }
}
