package dev.berth.faulttests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testfixtures.AppView;
import dev.berth.testfixtures.GitCli;
import dev.berth.testfixtures.ServingClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * README's backup and restore, with real processes: a platform with an agent serving an app, a few
 * pushes and their audit events, is backed up while it runs (the database with {@code pg_dump}, then
 * the hosted repositories, the key that seals their secrets and the audit key), stopped, and
 * restored into a fresh PostgreSQL and fresh directories, where a new platform starts (at the
 * address the agent knows). The agent reconnects with the credential it has, the app answers every
 * request throughout, the audit chain verifies with everything from before the backup in it, and
 * the repository takes a new push that deploys.
 */
@ExtendWith(ProcessLogs.class)
class BackupRestoreTest {
    /** Longer than the platform is away: the restored platform must find the agent's host alive, not lost. */
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(300);
    private static FaultCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = FaultCluster.start(1, 1, HEARTBEAT_TIMEOUT, 23800);
        for (String tool : List.of("/usr/bin/pg_dump", "/usr/bin/pg_restore")) {
            if (!Files.isExecutable(Path.of(tool))) {
                throw new AssertionError(tool + " is missing: apt-get install postgresql-client");
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) cluster.close();
    }

    @Test
    void aBackupTakenWhileRunningRestoresIntoAFreshPlatformThatTheAgentAndTheAppCarryOnWith() throws Exception {
        var old = cluster.instances.getFirst();
        GitCli.revisionOf(cluster.push(old, WebApp.definition(cluster.image, "one", 1, 0), "Deploy web"));
        long rev2 = GitCli.revisionOf(cluster.push(old, WebApp.definition(cluster.image, "two", 1, 0), "Say two"));
        JsonNode app = cluster.awaitApp(WebApp.NAME, Duration.ofSeconds(90), "1 healthy replica of revision " + rev2,
                WebApp.converged(rev2, 1));
        cluster.api().call("POST", "/api/v1/tokens", "{\"name\":\"before-the-backup\"}", 201);
        var addresses = new AtomicReference<>(AppView.addresses(app));
        String hostId = cluster.agents.getFirst().hostId();

        try (var client = new ServingClient(addresses::get)) {
            // The backup, as README says, while the platform serves: the database first, then the files.
            String auditBefore = cluster.api().text("/api/v1/audit");
            Path backup = Files.createDirectories(cluster.work.resolve("backup"));
            long backupStarted = System.nanoTime();
            cluster.postgres.dump(backup.resolve("berth.dump"));
            copy(cluster.work.resolve("git"), backup.resolve("git"));
            copy(cluster.work.resolve("secret.key"), backup.resolve("secret.key"));
            copy(old.dir.resolve("audit.key"), backup.resolve("audit.key"));
            System.out.printf("[faults] backup taken in %d ms%n", (System.nanoTime() - backupStarted) / 1_000_000);

            old.close();
            long stoppedAt = System.nanoTime();

            // The restore: a fresh PostgreSQL and fresh directories; the checkpoint is each instance's own and stays behind.
            Path fresh = Files.createDirectories(cluster.work.resolve("restored"));
            var database = TestPostgres.create(fresh.resolve("postgres"));
            cluster.postgres.close();
            cluster.postgres = database;
            database.restore(backup.resolve("berth.dump"));
            copy(backup.resolve("git"), fresh.resolve("git"));
            copy(backup.resolve("secret.key"), fresh.resolve("secret.key"));
            Path dir = Files.createDirectories(fresh.resolve("platform-a"));
            copy(backup.resolve("audit.key"), dir.resolve("audit.key"));
            var restored = new PlatformInstance("a-restored", old.port, dir, cluster.platformArgs(database, fresh.resolve("git")));
            cluster.instances.set(0, restored);
            restored.start();
            System.out.printf("[faults] restored platform ready %d ms after the old one stopped%n",
                    (System.nanoTime() - stoppedAt) / 1_000_000);

            // The agent comes back with the credential it has: a heartbeat the restored platform received.
            Instant readyAt = Instant.now();
            awaitHeartbeat(hostId, readyAt, Duration.ofSeconds(90));
            System.out.printf("[faults] agent reconnected %d ms after the old platform stopped%n",
                    (System.nanoTime() - stoppedAt) / 1_000_000);

            String auditAfter = cluster.api().text("/api/v1/audit");
            assertThat(auditAfter.lines().toList()).as("audit events from before the backup").containsAll(auditBefore.lines().toList());
            assertThat(cluster.api().get("/api/v1/audit/verify").path("intact").asBoolean()).as("the audit chain verifies").isTrue();

            long rev3 = GitCli.revisionOf(cluster.push(restored, WebApp.definition(cluster.image, "three", 1, 0),
                    "After the restore"));
            JsonNode after = cluster.awaitApp(WebApp.NAME, Duration.ofSeconds(90), "1 healthy replica of revision " + rev3,
                    WebApp.converged(rev3, 1));
            addresses.set(AppView.addresses(after));
            assertThat(rev3).as("the new revision follows the restored ones").isGreaterThan(rev2);
            Thread.sleep(500);
            assertThat(client.failures()).as("requests to the app that failed (of %d that did not)", client.ok()).isEmpty();
            assertThat(client.ok()).isGreaterThan(50);
        }
        assertThat(cluster.api().get("/api/v1/audit/verify").path("intact").asBoolean()).isTrue();
    }

    /** Waits until the platform has a heartbeat of {@code hostId} newer than {@code after}. */
    private static void awaitHeartbeat(String hostId, Instant after, Duration within) throws Exception {
        var deadline = Instant.now().plus(within);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            var answer = cluster.api().send("GET", "/api/v1/hosts", null);
            if (answer.status() == 200) {
                last = answer.json();
                for (JsonNode host : last.isArray() ? last : last.path("hosts")) {
                    if (!host.path("id").asString().equals(hostId) || host.path("lastHeartbeatAt").isNull()) continue;
                    if (Instant.parse(host.path("lastHeartbeatAt").asString()).isAfter(after)) return;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no heartbeat of host " + hostId + " within " + within + "; last seen: " + last);
    }

    /** {@code cp -a}, as README's procedure copies. */
    private static void copy(Path from, Path to) throws Exception {
        var process = new ProcessBuilder("cp", "-a", from.toString(), to.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("cp -a " + from + " " + to + " failed: " + output);
        }
    }
}
