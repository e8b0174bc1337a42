package dev.berth.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * Request bodies over real HTTP on loopback, with small limits: refused at once by Content-Length,
 * refused while reading when sent chunked without one, and a flood of oversized bodies stays
 * within the in-flight budget while ordinary requests keep being served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@dev.berth.platform.OwnSecurityHolder
@TestPropertySource(properties = {
        "berth.bodies.api-max-bytes=" + BodyLimitTest.LIMIT,
        "berth.bodies.webhook-max-bytes=" + BodyLimitTest.LIMIT,
        "berth.bodies.agent-max-bytes=" + BodyLimitTest.LIMIT,
        "berth.logs.max-body-bytes=" + BodyLimitTest.LIMIT,
        "berth.bodies.dashboard-max-bytes=" + BodyLimitTest.LIMIT,
        "berth.bodies.in-flight-bytes=" + BodyLimitTest.BUDGET})
class BodyLimitTest extends PlatformTest {
    static final int LIMIT = 256 * 1024;
    static final int BUDGET = 1024 * 1024;

    @LocalServerPort
    int port;
    @Autowired
    BodyBudget budget;

    private Api root;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    void setUp() {
        root = Api.at(port).bearer(Api.at(port).tokenFor("admin", ADMIN_PASSWORD));
    }

    /** A JSON body of exactly {@code bytes} bytes: {"name":"aaa…"}. */
    private static byte[] json(int bytes) {
        byte[] body = new byte[bytes];
        Arrays.fill(body, (byte) 'a');
        byte[] head = "{\"name\":\"".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, body, 0, head.length);
        body[bytes - 2] = '"';
        body[bytes - 1] = '}';
        return body;
    }

    private HttpRequest.Builder post(String path, byte[] body, boolean chunked) {
        var publisher = chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body);
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(publisher);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertTooLarge(HttpResponse<String> response, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(Api.JSON.readTree(response.body()).path("detail").asString()).contains("at most " + LIMIT + " bytes")
                .contains(detail);
    }

    @Test
    void aBodyWhoseContentLengthIsOverTheLimitIsRefusedAtOnce() throws Exception {
        var webhook = send(post("/api/v1/repositories/1/webhook", json(LIMIT + 1), false));
        assertTooLarge(webhook, "this one is " + (LIMIT + 1) + " bytes");
        assertThat(webhook.body()).contains("berth.bodies.webhook-max-bytes");
        // Before any credential is looked at: nothing about this request needs reading.
        var anonymous = send(post("/api/v1/teams", json(LIMIT + 1), false));
        assertTooLarge(anonymous, "this one is " + (LIMIT + 1) + " bytes");
        var agent = send(post("/agent/v1/heartbeat", json(LIMIT + 1), false));
        assertTooLarge(agent, "berth.bodies.agent-max-bytes");
    }

    @Test
    void aChunkedBodyWithNoLengthIsCountedWhileRead() throws Exception {
        var webhook = send(post("/api/v1/repositories/1/webhook", json(LIMIT + 16 * 1024), true));
        assertTooLarge(webhook, "this one is longer");
        // Read by Spring's JSON converter, through the cap, for a signed-in caller.
        var api = send(post("/api/v1/teams", json(LIMIT + 16 * 1024), true).header("Authorization", root.authorization()));
        assertTooLarge(api, "this one is longer");
        var secret = send(post("/api/v1/teams/none/apps/web/secrets/BIG", json(LIMIT + 16 * 1024), true)
                .method("PUT", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(json(LIMIT + 16 * 1024))))
                .header("Authorization", root.authorization()));
        assertTooLarge(secret, "this one is longer");
        assertThat(budget.inFlight()).as("every byte read was given back").isZero();
    }

    @Test
    void aBodyAtTheLimitIsReadWhole() throws Exception {
        var atLimit = send(post("/api/v1/repositories/999999/webhook", json(LIMIT), true));
        assertThat(atLimit.statusCode()).as("past the size check: " + atLimit.body()).isEqualTo(404);
        var team = send(post("/api/v1/teams", ("{\"name\":\"bodies-" + port + "\"}").getBytes(StandardCharsets.UTF_8), true)
                .header("Authorization", root.authorization()));
        assertThat(team.statusCode()).as(team.body()).isEqualTo(201);
    }

    @Test
    void aFloodOfOversizedBodiesStaysWithinTheBudgetAndOrdinaryRequestsAreServed() throws Exception {
        int flood = 48;
        byte[] oversized = json(LIMIT + 16 * 1024);
        try (var pool = Executors.newFixedThreadPool(flood)) {
            var answers = new ArrayList<CompletableFuture<Integer>>();
            for (int i = 0; i < flood; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return send(post("/api/v1/repositories/" + (1000 + flood) + "/webhook", oversized, true)).statusCode();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            var ordinary = new ArrayList<Integer>();
            for (int i = 0; i < 10; i++) {
                ordinary.add(root.get("/api/v1/teams").status());
                ordinary.add(root.post("/api/v1/teams", Map.of("name", "flood-" + port + "-" + i)).status());
            }
            var statuses = answers.stream().map(CompletableFuture::join).toList();
            assertThat(statuses).as("each oversized body is refused, or turned away while the budget is full")
                    .allMatch(s -> s == 413 || s == 503).contains(413);
            assertThat(ordinary).as("ordinary requests during the flood").allMatch(s -> s == 200 || s == 201);
        }
        assertThat(budget.peak()).as("body bytes held at once").isLessThanOrEqualTo(BUDGET).isGreaterThan(0);
        assertThat((long) flood * oversized.length).as("what the flood sent, which was never all held").isGreaterThan(3L * BUDGET);
        assertThat(budget.inFlight()).isZero();
    }
}
