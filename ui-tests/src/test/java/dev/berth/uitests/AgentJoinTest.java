package dev.berth.uitests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.BerthAgent;
import dev.berth.platform.BerthApplication;
import dev.berth.platform.database.EmbeddedDataTemplate;
import dev.berth.testfixtures.AgentCleanup;
import dev.berth.testfixtures.AgentPrerequisites;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real agent daemon, in its own JVM as an operator starts it, joins the real platform with a
 * join token, heartbeats, comes back after a restart on its stored credential alone, and a second
 * daemon holding the already-used token is turned away at startup.
 */
class AgentJoinTest {
    private static final String ADMIN_PASSWORD = "agent-join-test-admin-pw";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Path work;
    private static ConfigurableApplicationContext platform;
    private static String baseUrl;
    private static String adminToken;
    private static final List<Process> daemons = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        AgentPrerequisites.require();
        work = Files.createTempDirectory("berth-agent-join-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        EmbeddedDataTemplate.copyTo(work.resolve("postgres"));
        platform = new SpringApplicationBuilder(BerthApplication.class)
                .run("--server.port=0",
                        "--server.address=127.0.0.1",
                        Cluster.STOP_AT_ONCE,
                        "--berth.database.embedded.data-dir=" + work.resolve("postgres"),
                        "--berth.admin.password=" + ADMIN_PASSWORD,
                        "--berth.admin.password-file=" + work.resolve("pw"),
                        "--berth.git.repositories-dir=" + work.resolve("git"));
        baseUrl = "http://127.0.0.1:" + platform.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    static void stop() throws Exception {
        for (var daemon : daemons) AgentCleanup.stop(daemon);
        if (platform != null) platform.close();
        if (work != null) {
            try (Stream<Path> paths = Files.walk(work)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void anAgentJoinsHeartbeatsRejoinsOnItsCredentialAndAUsedTokenIsRefused() throws Exception {
        var created = post("/api/v1/tokens", "Basic " + Base64.getEncoder().encodeToString(
                ("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)), "{\"name\":\"t\"}");
        adminToken = created.path("token").asString();
        String joinToken = post("/api/v1/hosts/join-tokens", "Bearer " + adminToken, "{}").path("token").asString();
        assertThat(joinToken).isNotBlank();
        String hostname = InetAddress.getLocalHost().getHostName();

        // Joins and heartbeats.
        Path state = work.resolve("a");
        var first = startDaemon(state, work.resolve("a1.log"), "--join-token", joinToken);
        JsonNode host = awaitHost(h -> h.path("alive").asBoolean());
        assertThat(host.path("hostname").asString()).isEqualTo(hostname);
        assertThat(host.path("cpuMillis").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors() * 1000);
        assertThat(host.path("memoryBytes").asLong()).isPositive();
        String hostId = host.path("id").asString();
        Path credential = state.resolve("platform/credential.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credential))).isEqualTo("rw-------");
        assertThat(Files.readString(credential)).contains(hostId);
        // The platform certified the key the agent made; the agent took the certificate (it checks key, host and CA).
        var identity = dev.berth.agent.peer.PeerIdentityStore.in(state);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(identity.file()))).isEqualTo("rw-------");
        assertThat(identity.read().orElseThrow().hostId()).isEqualTo(hostId);

        // Heartbeats keep coming, every second.
        Instant seen = Instant.parse(host.path("lastHeartbeatAt").asString());
        awaitHost(h -> Instant.parse(h.path("lastHeartbeatAt").asString()).isAfter(seen));

        // Restarted without the token: the same host, on the stored credential.
        first.destroy();
        assertThat(first.waitFor(15, TimeUnit.SECONDS)).isTrue();
        Instant beforeRestart = Instant.parse(hosts().get(0).path("lastHeartbeatAt").asString());
        startDaemon(state, work.resolve("a2.log"));
        JsonNode again = awaitHost(h -> Instant.parse(h.path("lastHeartbeatAt").asString()).isAfter(beforeRestart)
                && h.path("alive").asBoolean());
        assertThat(again.path("id").asString()).isEqualTo(hostId);
        assertThat(Files.readString(work.resolve("a2.log"))).contains("credential from").doesNotContain(joinToken);
        assertThat(Files.readString(work.resolve("a1.log"))).doesNotContain(joinToken);

        // The used token on a fresh state directory: refused, clearly, at startup.
        Path log = work.resolve("b.log");
        var refused = launch(work.resolve("b"), log, "--join-token", joinToken);
        assertThat(refused.waitFor(30, TimeUnit.SECONDS)).as("the refused daemon exits").isTrue();
        assertThat(refused.exitValue()).isNotZero();
        assertThat(Files.readString(log)).contains("the platform refused the join token: join token is not valid")
                .doesNotContain(joinToken);
        assertThat(Files.exists(work.resolve("b/platform/credential.json"))).isFalse();
        assertThat(hosts()).hasSize(1);

        // No credential and no token: a usage error before anything starts.
        var err = new ByteArrayOutputStream();
        int code = BerthAgent.execute(List.of("--state-dir", work.resolve("c").toString(), "daemon", "--platform", baseUrl),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--platform needs --join-token TOKEN the first time");
    }

    private static Process launch(Path state, Path log, String... extra) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        var command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                BerthAgent.class.getName(), "--state-dir", state.toString(), "daemon", "--publish-address", "127.0.0.1",
                "--platform", baseUrl, "--heartbeat-seconds", "1"));
        command.addAll(List.of(extra));
        var p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        daemons.add(p);
        return p;
    }

    /** Starts a daemon and returns once it listens. */
    private static Process startDaemon(Path state, Path log, String... extra) throws Exception {
        var p = launch(state, log, extra);
        var deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!Files.exists(log) || !Files.readString(log).contains("listening on")) {
            if (!p.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError("daemon did not start: " + (Files.exists(log) ? Files.readString(log) : ""));
            }
            Thread.sleep(50);
        }
        return p;
    }

    /** Waits for the one listed host to satisfy {@code condition}. */
    private static JsonNode awaitHost(Predicate<JsonNode> condition) throws Exception {
        var deadline = Instant.now().plus(Duration.ofSeconds(20));
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = hosts();
            if (last.size() == 1 && !last.get(0).path("lastHeartbeatAt").isNull()
                    && !last.get(0).path("lastHeartbeatAt").isMissingNode() && condition.test(last.get(0))) {
                return last.get(0);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no such host in time; last listed: " + last);
    }

    private static JsonNode hosts() throws Exception {
        var request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/hosts")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + adminToken).GET().build();
        var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static JsonNode post(String path, String authorization, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(201);
        return JSON.readTree(response.body());
    }
}
