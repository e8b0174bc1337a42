package dev.berth.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The link against a stand-in platform on 127.0.0.1; the real one is in ui-tests' AgentJoinTest. */
class PlatformLinkTest {
    private static final String SECRET = "berth-agent_h-000000000001_secretsecretsecret";
    private static final String TOKEN = "berth-join_tokentokentoken";
    @TempDir
    Path state;
    private HttpServer server;
    private final List<String> heartbeats = new CopyOnWriteArrayList<>();
    private final AtomicInteger heartbeatStatus = new AtomicInteger(204);
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    private URI platform(int registerStatus, String registerBody) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/agent/v1/register", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = registerBody.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(registerStatus, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/agent/v1/heartbeat", exchange -> {
            heartbeats.add(exchange.getRequestHeaders().getFirst("Authorization") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(heartbeatStatus.get(), -1);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    @Test
    void registersOnceStoresTheCredentialPrivatelyAndBeats() throws Exception {
        var uri = platform(201, "{\"version\":1,\"hostId\":\"h-000000000001\",\"credential\":\"" + SECRET + "\"}");
        try (var link = PlatformLink.join(uri, state, TOKEN, Duration.ofMillis(100), log)) {
            assertThat(link.hostId()).isEqualTo("h-000000000001");
            link.start(List::of);
            waitFor(() -> heartbeats.size() >= 2);
        }
        Path file = PlatformLink.credentialFile(state);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains(SECRET).contains("h-000000000001").contains(uri.toString());
        assertThat(heartbeats.getFirst()).startsWith("Bearer " + SECRET + " ").contains("\"containers\":[]").contains("\"cpuMillis\"");
        try (var stat = Files.list(file.getParent())) {
            assertThat(stat).containsExactly(file); // no temp file left behind
        }

        // Again without a token: the stored credential, no second registration.
        try (var again = PlatformLink.join(uri, state, null, Duration.ofMillis(100), log)) {
            assertThat(again.hostId()).isEqualTo("h-000000000001");
        }
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).doesNotContain(SECRET).doesNotContain(TOKEN);
    }

    @Test
    void aRefusedJoinTokenSaysSoAndStoresNothing() throws Exception {
        var uri = platform(401, "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"join token is not valid\"}");
        assertThatThrownBy(() -> PlatformLink.join(uri, state, TOKEN, Duration.ofSeconds(1), log))
                .isInstanceOf(PlatformLink.JoinRefusedException.class)
                .hasMessageStartingWith("the platform refused the join token: join token is not valid");
        assertThat(PlatformLink.hasCredential(state)).isFalse();
    }

    @Test
    void aCredentialForAnotherPlatformIsNotSentThere() throws Exception {
        var uri = platform(201, "{\"version\":1,\"hostId\":\"h-000000000001\",\"credential\":\"" + SECRET + "\"}");
        PlatformLink.join(uri, state, TOKEN, Duration.ofSeconds(1), log).close();
        assertThatThrownBy(() -> PlatformLink.join(URI.create("http://127.0.0.1:1"), state, null, Duration.ofSeconds(1), log))
                .hasMessageContaining("holds a credential for " + uri);
    }

    @Test
    void aFailingPlatformIsLoggedOncePerChange() throws Exception {
        var uri = platform(201, "{\"version\":1,\"hostId\":\"h-000000000001\",\"credential\":\"" + SECRET + "\"}");
        heartbeatStatus.set(503);
        try (var link = PlatformLink.join(uri, state, TOKEN, Duration.ofMillis(20), log)) {
            link.start(List::of);
            waitFor(() -> heartbeats.size() >= 4);
            heartbeatStatus.set(204);
            waitFor(() -> logBytes.toString(StandardCharsets.UTF_8).contains("heartbeats reach"));
        }
        String text = logBytes.toString(StandardCharsets.UTF_8);
        assertThat(text.split("cannot reach", -1)).hasSize(2);
        assertThat(text).contains("HTTP 503").doesNotContain(SECRET).doesNotContain(TOKEN);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out");
            Thread.sleep(10);
        }
    }
}
