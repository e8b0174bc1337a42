package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import dev.berth.registry.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.quartz.Scheduler;
import org.quartz.TriggerKey;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Registering an external repository fetches it at once, whatever its poll interval, and the
 * repository says how that fetch went. The poll's own trigger is paused here, so only the fetch
 * that registration starts can bring anything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirstSyncTest extends PlatformTest {
    private static final String TEAM = "first-sync";
    private static final TriggerKey POLL = TriggerKey.triggerKey("repository-poll");

    @LocalServerPort
    int port;

    @Autowired
    Scheduler scheduler;

    private Api root;
    private TestRegistry registry;
    private Path work;
    private String image;

    @BeforeAll
    void setUp() throws Exception {
        var images = RegistryWithImage.start("berth-first-sync", "acme/api:1");
        registry = images.registry();
        work = images.work();
        image = images.image();
        root = Api.at(port).bearer(Api.at(port).tokenFor("admin", ADMIN_PASSWORD));
        assertThat(root.post("/api/v1/teams", Map.of("name", TEAM)).status()).isEqualTo(201);
        scheduler.pauseTrigger(POLL);
    }

    @AfterAll
    void tearDown() throws Exception {
        scheduler.resumeTrigger(POLL);
        if (registry != null) registry.close();
        if (work != null) TestRegistry.deleteTree(work);
    }

    private String git(Path dir, String... args) throws Exception {
        return new GitCli(work).ok(dir, args);
    }

    /** A bare "remote" whose main branch holds {@code yaml} as berth.yaml; answers the commit. */
    private String remoteWith(String name, String yaml) throws Exception {
        Path bare = work.resolve(name + ".git");
        git(work, "init", "-q", "--bare", bare.toString());
        Path checkout = Files.createDirectories(work.resolve(name));
        git(checkout, "init", "-q");
        git(checkout, "remote", "add", "origin", bare.toString());
        Files.writeString(checkout.resolve("berth.yaml"), yaml);
        git(checkout, "add", "berth.yaml");
        git(checkout, "commit", "-q", "-m", "first");
        git(checkout, "push", "-q", "origin", "HEAD:refs/heads/main");
        return git(checkout, "rev-parse", "HEAD").strip();
    }

    private JsonNode register(String name, Path url) {
        var r = root.post("/api/v1/teams/" + TEAM + "/repositories", Map.of("name", name, "url", url.toString(), "pollSeconds", 3600));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("repository");
    }

    /** The repository once its sync state is {@code state}, within a few seconds (the poll interval is an hour). */
    private JsonNode awaitSync(String name, String state) throws InterruptedException {
        var deadline = Instant.now().plus(Duration.ofSeconds(20));
        JsonNode repository;
        do {
            repository = root.get("/api/v1/teams/" + TEAM + "/repositories/" + name).json();
            if (repository.path("remote").path("sync").path("state").asString().equals(state)) return repository;
            Thread.sleep(100);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("sync of " + name + " did not reach " + state + ": " + repository);
    }

    @Test
    void registrationFetchesAtOnceAndTheRepositoryShowsTheResult() throws Exception {
        String commit = remoteWith("hourly", "apiVersion: berth/v1\napps:\n  hourly:\n    image: " + image + "\n");

        var registered = register("hourly", work.resolve("hourly.git"));
        assertThat(registered.path("remote").path("pollSeconds").asInt()).isEqualTo(3600);
        assertThat(registered.path("remote").path("sync").path("state").asString()).isIn("queued", "syncing", "succeeded");

        var sync = awaitSync("hourly", "succeeded").path("remote").path("sync");
        var revisions = root.get("/api/v1/teams/" + TEAM + "/repositories/hourly/revisions").json();
        assertThat(revisions.size()).isEqualTo(1);
        assertThat(revisions.get(0).path("commit").asString()).isEqualTo(commit);
        assertThat(revisions.get(0).path("pushedBy").asString()).isEqualTo("sync:registration");
        assertThat(sync.path("trigger").asString()).isEqualTo("registration");
        assertThat(sync.path("commit").asString()).isEqualTo(commit);
        assertThat(sync.path("revision").asLong()).isEqualTo(revisions.get(0).path("id").asLong());
        assertThat(sync.path("error").isNull()).isTrue();
        var started = Instant.parse(sync.path("startedAt").asString());
        var finished = Instant.parse(sync.path("finishedAt").asString());
        assertThat(started).isBeforeOrEqualTo(finished);
    }

    @Test
    void aRemoteThatCannotBeFetchedShowsFailedWithASentence() throws Exception {
        Path notARepository = Files.createDirectories(work.resolve("empty"));

        register("broken", notARepository);

        var sync = awaitSync("broken", "failed").path("remote").path("sync");
        assertThat(sync.path("trigger").asString()).isEqualTo("registration");
        assertThat(sync.path("error").asString()).startsWith("fetching ").contains(notARepository.toString());
        assertThat(sync.path("commit").isNull()).as("nothing was fetched").isTrue();
        assertThat(sync.path("revision").isNull()).isTrue();
        assertThat(sync.path("finishedAt").isNull()).isFalse();
        assertThat(root.get("/api/v1/teams/" + TEAM + "/repositories/broken/revisions").json().size()).isZero();
    }

    @Test
    void aFirstCommitThatFailsItsChecksShowsFailedWithWhere() throws Exception {
        String commit = remoteWith("invalid", "apiVersion: berth/v1\napps:\n  invalid:\n    image: " + image + "\n    replicas: -1\n");

        register("invalid", work.resolve("invalid.git"));

        var sync = awaitSync("invalid", "failed").path("remote").path("sync");
        assertThat(sync.path("error").asString()).contains("berth.yaml:5:15: replicas must be at least 0");
        assertThat(sync.path("commit").asString()).as("what was fetched, though not accepted").isEqualTo(commit);
        assertThat(sync.path("revision").isNull()).isTrue();
    }
}
