package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import dev.berth.registry.RegistryPrerequisites;
import dev.berth.registry.TestImages;
import dev.berth.registry.TestRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * External repositories: a local bare repository written with the git CLI, polled on Quartz's
 * schedule, synced by signed webhooks, and kept at the last good revision when a commit is bad.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExternalRepositoryTest extends PlatformTest {
    private static final String TEAM = "external";
    private static final String PASSWORD = "a-long-enough-password";

    @LocalServerPort
    int port;

    private Api root;
    private Api teamAdmin;
    private TestRegistry registry;
    private Path work;
    private String image;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void setUp() throws Exception {
        RegistryPrerequisites.require();
        registry = TestRegistry.start();
        work = Files.createTempDirectory("berth-external");
        var built = TestImages.writeLayout(work.resolve("layout"), "1", TestImages.busybox().withCmd("/bin/sh"));
        TestImages.push(built.layout(), "1", registry.host(), "acme/api:1", null);
        image = registry.host() + "/acme/api:1";
        root = Api.at(port).bearer(Api.at(port).tokenFor("admin", ADMIN_PASSWORD));
        root.post("/api/v1/teams", Map.of("name", TEAM));
        root.post("/api/v1/users", Map.of("username", "ext-admin", "password", PASSWORD));
        root.post("/api/v1/teams/" + TEAM + "/members", Map.of("username", "ext-admin", "role", "ADMIN"));
        teamAdmin = Api.at(port).bearer(Api.at(port).tokenFor("ext-admin", PASSWORD));
    }

    @AfterAll
    void tearDown() throws Exception {
        if (registry != null) registry.close();
        if (work != null) TestRegistry.deleteTree(work);
    }

    private String git(Path dir, String... args) throws Exception {
        return new GitCli(work).ok(dir, args);
    }

    /** A bare "remote" and a working copy that pushes to it. */
    private Path remoteWith(String name, String yaml) throws Exception {
        Path bare = work.resolve(name + ".git");
        git(work, "init", "-q", "--bare", bare.toString());
        Path checkout = Files.createDirectories(work.resolve(name));
        git(checkout, "init", "-q");
        git(checkout, "remote", "add", "origin", bare.toString());
        commit(checkout, yaml, "first");
        return checkout;
    }

    private void commit(Path checkout, String yaml, String message) throws Exception {
        Files.createDirectories(checkout.resolve("deploy"));
        Files.writeString(checkout.resolve("deploy/berth.yaml"), yaml);
        git(checkout, "add", "deploy/berth.yaml");
        git(checkout, "commit", "-q", "-m", message);
        git(checkout, "push", "-q", "origin", "HEAD:refs/heads/main");
    }

    private String app(String name, int replicas) {
        return "apiVersion: berth/v1\napps:\n  " + name + ":\n    image: " + image + "\n    replicas: " + replicas + "\n";
    }

    private JsonNode register(String name, Path checkout) {
        var r = root.post("/api/v1/teams/" + TEAM + "/repositories", Map.of("name", name,
                "url", work.resolve(name + ".git").toString(), "path", "deploy/berth.yaml", "pollSeconds", 10));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    private JsonNode repository(String name) {
        return root.get("/api/v1/teams/" + TEAM + "/repositories/" + name).json();
    }

    private HttpResponse<String> webhook(long id, byte[] body, Map<String, String> headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/repositories/" + id + "/webhook"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json");
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sign(String secret, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(WebhookCheck.hmac(secret, body));
    }

    @Test
    void theScheduleFetchesANewCommitAndABadOneKeepsTheLastGoodRevision() throws Exception {
        Path checkout = remoteWith("polled", app("polled", 1));
        String good = git(checkout, "rev-parse", "HEAD").strip();
        var registered = register("polled", checkout);
        assertThat(registered.path("webhookSecret").asString()).hasSize(64);
        assertThat(registered.path("repository").path("remote").path("webhookUrl").asString()).endsWith("/webhook");

        // Quartz ticks every second in tests; a new repository is due at once.
        var deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (repository("polled").path("remote").path("lastSyncCommit").isNull() && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        var synced = repository("polled");
        assertThat(synced.path("remote").path("lastSyncCommit").asString()).isEqualTo(good);
        assertThat(synced.path("remote").path("lastSyncError").isNull()).isTrue();
        assertThat(synced.toString()).as("secrets are never shown again").doesNotContain(registered.path("webhookSecret").asString());
        var revisions = root.get("/api/v1/teams/" + TEAM + "/apps/polled/revisions").json();
        assertThat(revisions.get(0).path("commit").asString()).isEqualTo(good);
        // Registration starts the first fetch at once; the poll tick, due at once too, may get there first.
        assertThat(revisions.get(0).path("pushedBy").asString()).isIn("sync:registration", "sync:poll");

        commit(checkout, app("polled", -1), "break it");
        var failed = root.post("/api/v1/teams/" + TEAM + "/repositories/polled/sync", Map.of()).json();
        assertThat(failed.path("error").asString()).contains("deploy/berth.yaml:5:15: replicas must be at least 0");
        var after = repository("polled");
        assertThat(after.path("remote").path("lastSyncCommit").asString()).as("the last good commit stays").isEqualTo(good);
        assertThat(after.path("remote").path("lastSyncError").asString()).contains("replicas must be at least 0");
        assertThat(root.get("/api/v1/teams/" + TEAM + "/apps/polled/revisions").json().size()).isEqualTo(1);

        commit(checkout, app("polled", 2), "fix it");
        var fixed = root.post("/api/v1/teams/" + TEAM + "/repositories/polled/sync", Map.of()).json();
        assertThat(fixed.path("commit").asString()).isEqualTo(git(checkout, "rev-parse", "HEAD").strip());
        assertThat(repository("polled").path("remote").path("lastSyncError").isNull()).isTrue();
    }

    @Test
    void signedWebhooksSyncAndReplaysOrForgeriesAreRefused() throws Exception {
        Path checkout = remoteWith("hooked", app("hooked", 1));
        var registered = register("hooked", checkout);
        long id = registered.path("repository").path("id").asLong();
        String secret = registered.path("webhookSecret").asString();
        byte[] body = "{\"ref\":\"refs/heads/main\",\"after\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        String delivery = UUID.randomUUID().toString();

        var ok = webhook(id, body, Map.of("X-Hub-Signature-256", sign(secret, body), "X-GitHub-Delivery", delivery));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(202);
        assertThat(ok.body()).contains("accepted");
        var replay = webhook(id, body, Map.of("X-Hub-Signature-256", sign(secret, body), "X-GitHub-Delivery", delivery));
        assertThat(replay.statusCode()).isEqualTo(409);
        assertThat(replay.body()).contains("already received");
        var forged = webhook(id, body, Map.of("X-Hub-Signature-256", sign("guess", body), "X-GitHub-Delivery", "other"));
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.body()).contains("signature does not match");
        var unsigned = webhook(id, body, Map.of());
        assertThat(unsigned.statusCode()).isEqualTo(401);
        byte[] elsewhere = "{\"ref\":\"refs/heads/feature\"}".getBytes(StandardCharsets.UTF_8);
        var ignored = webhook(id, elsewhere, Map.of("X-Gitea-Signature", sign(secret, elsewhere).substring(7), "X-Gitea-Delivery", "g-1"));
        assertThat(ignored.statusCode()).isEqualTo(202);
        assertThat(ignored.body()).contains("ignored");
        byte[] again = "{\"ref\":\"refs/heads/main\",\"after\":\"y\"}".getBytes(StandardCharsets.UTF_8);
        var gitlab = webhook(id, again, Map.of("X-Gitlab-Token", secret, "X-Gitlab-Event-UUID", "l-1"));
        assertThat(gitlab.statusCode()).isEqualTo(202);

        var deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (root.get("/api/v1/teams/" + TEAM + "/apps/hooked/revisions").json().isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(root.get("/api/v1/teams/" + TEAM + "/apps/hooked/revisions").json().size()).isEqualTo(1);
        String audit = root.get("/api/v1/audit?action=repository.webhook").body();
        assertThat(audit).contains("replayed delivery").contains(delivery);
    }

    @Test
    void registrationRefusesWhatItShould() {
        var local = teamAdmin.post("/api/v1/teams/" + TEAM + "/repositories", Map.of("name", "sneaky", "url", "/etc"));
        assertThat(local.status()).isEqualTo(403);
        assertThat(local.body()).contains("only platform admins may register a local path");
        var plain = teamAdmin.post("/api/v1/teams/" + TEAM + "/repositories", Map.of("name", "plain", "url", "http://example.com/x.git"));
        assertThat(plain.status()).isEqualTo(400);
        assertThat(plain.body()).contains("must start with https://");
        var creds = teamAdmin.post("/api/v1/teams/" + TEAM + "/repositories",
                Map.of("name", "creds", "url", "https://user:pw@example.com/x.git"));
        assertThat(creds.status()).isEqualTo(400);
        assertThat(creds.body()).contains("not in the URL");
        var escape = teamAdmin.post("/api/v1/teams/" + TEAM + "/repositories",
                Map.of("name", "escape", "url", "https://example.com/x.git", "path", "../berth.yaml"));
        assertThat(escape.status()).isEqualTo(400);
        // Nothing was fetched from example.com: every refusal happens before any network use.
    }
}
