package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.MutableClock;
import dev.berth.platform.PlatformTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Replays of a signed webhook over real HTTP: whatever the unsigned delivery id header says, a
 * payload the repository has already received, or one dated long ago, starts no sync.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookReplayTest extends PlatformTest {
    private static final String TEAM = "replays";

    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;

    private Api root;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void setUp() {
        root = Api.at(port).bearer(Api.at(port).tokenFor("admin", ADMIN_PASSWORD));
        root.post("/api/v1/teams", Map.of("name", TEAM));
    }

    private record Registered(long id, String secret) {
    }

    private Registered register(String name) throws Exception {
        var r = root.post("/api/v1/teams/" + TEAM + "/repositories", Map.of("name", name,
                "url", Files.createTempDirectory("berth-replay").toString(), "pollSeconds", 86_400));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return new Registered(r.json().path("repository").path("id").asLong(), r.json().path("webhookSecret").asString());
    }

    private HttpResponse<String> github(long id, String secret, byte[] body, String delivery) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/repositories/" + id + "/webhook"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(WebhookCheck.hmac(secret, body)))
                .header("X-GitHub-Delivery", delivery);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private byte[] push(String after, Instant pushedAt) {
        return ("{\"ref\":\"refs/heads/main\",\"after\":\"" + after + "\",\"repository\":{\"pushed_at\":"
                + pushedAt.getEpochSecond() + "}}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theSameSignedPayloadUnderANewDeliveryIdIsAReplay() throws Exception {
        var repo = register("same-payload");
        byte[] body = push("a1", clock.instant());
        var first = github(repo.id(), repo.secret(), body, UUID.randomUUID().toString());
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        var again = github(repo.id(), repo.secret(), body, UUID.randomUUID().toString());
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
        assertThat(again.body()).contains("was already received").contains("a replay is not acted on");
        assertThat(root.get("/api/v1/audit?action=repository.webhook").body()).contains("replayed delivery")
                .contains(WebhookCheck.digest(body));
    }

    @Test
    void theSameDeliveryIdWithAnotherBodyIsRefused() throws Exception {
        var repo = register("same-id");
        String delivery = UUID.randomUUID().toString();
        var first = github(repo.id(), repo.secret(), push("b1", clock.instant()), delivery);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        var other = github(repo.id(), repo.secret(), push("b2", clock.instant()), delivery);
        assertThat(other.statusCode()).as(other.body()).isEqualTo(409);
        var fresh = github(repo.id(), repo.secret(), push("b2", clock.instant()), UUID.randomUUID().toString());
        assertThat(fresh.statusCode()).as("a new push under a new id is not a replay: " + fresh.body()).isEqualTo(202);
    }

    @Test
    void aDeliveryOfAPushLongAgoIsRefused() throws Exception {
        var repo = register("old");
        var old = github(repo.id(), repo.secret(), push("c1", clock.instant().minus(WebhookCheck.MAX_AGE).minusSeconds(60)),
                UUID.randomUUID().toString());
        assertThat(old.statusCode()).as(old.body()).isEqualTo(401);
        assertThat(old.body()).contains("an old delivery is not acted on");
    }

    @Test
    void aDeliveryIsCheckedAgainstItsOwnRepositorysSecretOnly() throws Exception {
        var one = register("one");
        var two = register("two");
        var crossed = github(two.id(), one.secret(), push("d1", clock.instant()), UUID.randomUUID().toString());
        assertThat(crossed.statusCode()).as(crossed.body()).isEqualTo(401);
    }
}
