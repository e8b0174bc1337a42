package dev.berth.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.MutableClock;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.tokens.TokenSecret;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.nio.file.Files;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Bursts of unauthenticated failures (wrong tokens, unknown users, forged agent credentials,
 * forged or misdirected webhooks) from one address complete quickly and write a bounded number of
 * audit rows, with a summary that counts the rest.
 */
class FailureBurstTest extends PlatformTest {
    private static final int BURST = 300;
    private static final int IN_FLIGHT = 48;

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MutableClock clock;

    private long rows(String action, String source) {
        return jdbc.sql("SELECT count(*) FROM audit_events WHERE action = ? AND source_address = ?")
                .params(action, source).query(Long.class).single();
    }

    /** The count the summary of this action and source gives, waiting for the background writer. */
    private long suppressed(String action, String source) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            var details = jdbc.sql("SELECT details FROM audit_events WHERE action = ? AND target = ?")
                    .params(action + ".suppressed", "source:" + source).query(String.class).list();
            if (!details.isEmpty()) {
                assertThat(details).hasSize(1);
                return Long.parseLong(Api.JSON.readTree(details.getFirst()).get("count").asString());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no summary of " + action + " from " + source);
    }

    /**
     * Starts the test in a window of its own: the clock follows real time, so a window an earlier
     * test's failure opened could otherwise end in the middle of a burst.
     */
    @BeforeEach
    void freshWindow() {
        clock.advance(FailureAudit.WINDOW.plusSeconds(1));
    }

    /** A burst of failing calls from one address, each answered {@code status}. */
    private record Burst(String address, int status, IntFunction<HttpRequest> request) {
    }

    private void burst(String address, IntFunction<HttpRequest> request) throws Exception {
        concurrently(new Burst(address, 401, request));
    }

    /**
     * Sends all the bursts at once, interleaved, {@link #IN_FLIGHT} requests at a time: hundreds of
     * simultaneous new connections overflow the server's listen backlog (100) on a loaded machine,
     * and a connection the kernel dropped comes back as a reset, which is not what this test is about.
     */
    private void concurrently(Burst... bursts) throws Exception {
        var calls = new ArrayList<Callable<Void>>();
        var inFlight = new Semaphore(IN_FLIGHT);
        for (var b : bursts) {
            var client = SourceAddressThrottleTest.from(b.address());
            for (int i = 0; i < BURST; i++) {
                int n = i;
                calls.add(() -> {
                    inFlight.acquire();
                    try {
                        var response = client.send(b.request().apply(n), HttpResponse.BodyHandlers.ofString());
                        assertThat(response.statusCode()).as(response.body()).isEqualTo(b.status());
                    } finally {
                        inFlight.release();
                    }
                    return null;
                });
            }
        }
        long started = System.nanoTime();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var f : pool.invokeAll(calls)) f.get();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("bursts of %d failures", calls.size())
                .isLessThan(Duration.ofSeconds(60 * bursts.length));
    }

    @Test
    void wrongTokensAndUnknownUsersWriteABoundedNumberOfAuditRowsAndASummaryOfTheRest() throws Exception {
        String tokens = "127.0.0.6";
        String logins = "127.0.0.7";
        burst(tokens, n -> HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/teams"))
                .header("Authorization", "Bearer " + TokenSecret.generate().text()).build());
        burst(logins, n -> HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/tokens"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("burst-nobody-" + n + ":guess").getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")).build());

        long tokenRows = rows("token.rejected", tokens);
        long loginRows = rows("login.failure", logins);
        assertThat(tokenRows).isBetween(1L, (long) FailureAudit.PER_SOURCE);
        assertThat(loginRows + rows("address.locked", logins)).isBetween(1L, (long) FailureAudit.PER_SOURCE);

        // The window ends; the rest is summed up once, by source.
        clock.advance(FailureAudit.WINDOW.plusSeconds(1));
        assertThat(tokenRows + suppressed("token.rejected", tokens)).isEqualTo(BURST);
        assertThat(loginRows + suppressed("login.failure", logins)).isEqualTo(BURST);
    }

    @Test
    void forgedAgentCredentialsAndWebhooksWriteABoundedNumberOfAuditRowsAndASummaryOfTheRest() throws Exception {
        var root = Api.at(port).bearer(Api.at(port).tokenFor("admin", ADMIN_PASSWORD));
        root.post("/api/v1/teams", Map.of("name", "bursts"));
        var r = root.post("/api/v1/teams/bursts/repositories", Map.of("name", "hooked",
                "url", Files.createTempDirectory("berth-burst").toString(), "pollSeconds", 86_400));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        long repository = r.json().path("repository").path("id").asLong();

        String agents = "127.0.0.8";
        String forged = "127.0.0.9";
        String unknown = "127.0.0.10";
        byte[] push = "{\"ref\":\"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8);
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("not the webhook secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String wrongSignature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(push));
        concurrently(
                new Burst(agents, 401, n -> HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/agent/v1/heartbeat"))
                        .header("Authorization", "Bearer berth-agent_h-000000000000_" + "%032d".formatted(n))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build()),
                new Burst(forged, 401, n -> HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/api/v1/repositories/" + repository + "/webhook"))
                        .header("Content-Type", "application/json")
                        .header("X-Hub-Signature-256", wrongSignature)
                        .header("X-GitHub-Delivery", "burst-" + n)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(push)).build()),
                new Burst(unknown, 404, n -> HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/api/v1/repositories/" + (900_000 + n) + "/webhook"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(push)).build()));

        long agentRows = rows("agent.rejected", agents);
        long forgedRows = rows("repository.webhook", forged);
        long unknownRows = rows("repository.webhook", unknown);
        assertThat(agentRows).isBetween(1L, (long) FailureAudit.PER_SOURCE);
        assertThat(forgedRows).isBetween(1L, (long) FailureAudit.PER_SOURCE);
        assertThat(unknownRows).isBetween(1L, (long) FailureAudit.PER_SOURCE);

        clock.advance(FailureAudit.WINDOW.plusSeconds(1));
        assertThat(agentRows + suppressed("agent.rejected", agents)).isEqualTo(BURST);
        assertThat(forgedRows + suppressed("repository.webhook", forged)).isEqualTo(BURST);
        assertThat(unknownRows + suppressed("repository.webhook", unknown)).isEqualTo(BURST);
    }
}
