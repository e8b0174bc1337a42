package dev.berth.platform.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.DeployedApps;
import dev.berth.platform.MutableClock;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.repositories.SecretBox;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Webhooks end to end over the API, the real database and a receiver on 127.0.0.1 (loopback is
 * allowed in these tests through berth.network.allowed-private-targets, as an administrator would).
 */
class NotificationsTest extends PlatformTest {
    @LocalServerPort
    int port;
    @Autowired
    NotificationDeliverer deliverer;
    @Autowired
    MutableClock clock;
    @Autowired
    ApplicationContext context;

    private Api root;
    private String team;
    private Receiver receiver;

    @BeforeEach
    void setUp() throws Exception {
        var api = Api.at(port);
        root = api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
        team = "notify-" + System.nanoTime();
        assertThat(root.post("/api/v1/teams", Map.of("name", team)).status()).isEqualTo(201);
        receiver = new Receiver();
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    private String base() {
        return "/api/v1/teams/" + team + "/notifications";
    }

    private JsonNode create(String name, String format, List<String> events) {
        var r = root.post(base(), Map.of("name", name, "url", receiver.url("/hook").toString(), "format", format, "events", events));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    /** Attempts due deliveries until {@code done}; the deliverer's own tick may make them first. */
    private void deliverUntil(BooleanSupplier done) throws InterruptedException {
        for (int i = 0; i < 400 && !done.getAsBoolean(); i++) {
            deliverer.deliverDue();
            Thread.sleep(25);
        }
        assertThat(done.getAsBoolean()).as("delivered in time").isTrue();
    }

    private JsonNode deliveries(long endpoint) {
        var r = root.get(base() + "/" + endpoint + "/deliveries");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    @Test
    void aDeploymentReachesTheReceiverSignedAndTheDeliveryShowsItsAnswer() throws Exception {
        var created = create("ops", "GENERIC", List.of("deployment.started"));
        long id = created.get("endpoint").get("id").asLong();
        String secret = created.get("signingSecret").asString();
        assertThat(secret).startsWith("whsec_");
        // Never shown again, nor audited.
        assertThat(root.get(base() + "/" + id).body()).doesNotContain(secret).doesNotContain("signingSecret");
        assertThat(root.get(base()).body()).doesNotContain(secret);

        assertThat(root.post("/api/v1/teams/" + team + "/repositories", Map.of("name", "site")).status()).isEqualTo(201);
        DeployedApps.in(context).record(team, "site", 0, "web");

        long before = clock.instant().getEpochSecond();
        deliverUntil(() -> !receiver.received().isEmpty());
        long after = clock.instant().getEpochSecond();
        var got = receiver.received().getFirst();
        assertThat(got.header(Signature.HEADER)).isEqualTo(Signature.of(secret, got.body()));
        assertThat(got.header("X-Berth-Event")).isEqualTo("deployment.started");
        var body = Api.JSON.readTree(got.text());
        assertThat(body.get("type").asString()).isEqualTo("deployment.started");
        assertThat(body.get("team").asString()).isEqualTo(team);
        assertThat(body.get("app").asString()).isEqualTo("web");
        assertThat(got.header("X-Berth-Event-Id")).isEqualTo(body.get("id").asString());
        // The attempt's time on the platform's clock, which follows real time: a second may turn meanwhile.
        assertThat(Long.parseLong(got.header("X-Berth-Timestamp"))).isBetween(before, after);

        deliverUntil(() -> deliveries(id).get(0).get("status").asString().equals("DELIVERED"));
        var delivery = deliveries(id).get(0);
        assertThat(delivery.get("responseCode").asInt()).isEqualTo(200);
        assertThat(delivery.get("responseBody").asString()).isEqualTo("answer 200");
        assertThat(delivery.get("attempts").asInt()).isEqualTo(1);

        // Send again: a new delivery of the same event.
        var again = root.post(base() + "/" + id + "/deliveries/" + delivery.get("id").asLong() + "/resend", Map.of());
        assertThat(again.status()).as(again.toString()).isEqualTo(202);
        deliverUntil(() -> receiver.received().size() == 2);
        assertThat(receiver.received().get(1).header("X-Berth-Event-Id")).isEqualTo(got.header("X-Berth-Event-Id"));
        assertThat(receiver.received().get(1).header("X-Berth-Delivery")).isEqualTo(again.json().get("id").asString());

        var audit = root.get("/api/v1/audit?team=" + team);
        assertThat(audit.body()).contains("notification.endpoint.create").contains("notification.delivery.resend")
                .doesNotContain(secret).doesNotContain("/hook");
    }

    @Test
    void theSecretIsStoredSealedToItsEndpoint() {
        var created = create("sealed", "SLACK", List.of("deployment.failed"));
        long id = created.get("endpoint").get("id").asLong();
        var store = context.getBean(EndpointStore.class);
        byte[] sealed = store.sealedSecret(id);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(created.get("signingSecret").asString());
        assertThat(context.getBean(SecretBox.class).open(sealed, NotificationDeliverer.secretContext(id)))
                .isEqualTo(created.get("signingSecret").asString());
    }

    @Test
    void aFailingReceiverIsTriedOnTheScheduleAndItsEndpointPausedAfterADay() throws Exception {
        long id = create("flaky", "TEAMS", List.of("deployment.failed")).get("endpoint").get("id").asLong();
        receiver.answer(503);
        tellFailure();
        deliverUntil(() -> receiver.received().size() == 1);
        deliverUntil(() -> deliveries(id).get(0).get("responseCode").asInt() == 503);
        var first = deliveries(id).get(0);
        assertThat(first.get("status").asString()).isEqualTo("PENDING");
        assertThat(first.get("responseBody").asString()).isEqualTo("answer 503");
        var tried = java.time.Instant.parse(first.get("lastAttemptAt").asString());
        assertThat(java.time.Instant.parse(first.get("nextAttemptAt").asString())).isEqualTo(tried.plusSeconds(30));

        // Not due before its time...
        clock.advance(Duration.ofSeconds(25));
        deliverer.deliverDue();
        assertThat(receiver.received()).hasSize(1);
        // ...then tried again, and the wait doubles.
        clock.advance(Duration.ofSeconds(5));
        deliverUntil(() -> deliveries(id).get(0).get("attempts").asInt() == 2 && !deliveries(id).get(0).get("nextAttemptAt")
                .asString().equals(first.get("nextAttemptAt").asString()));
        var second = deliveries(id).get(0);
        assertThat(java.time.Instant.parse(second.get("nextAttemptAt").asString()))
                .isEqualTo(java.time.Instant.parse(second.get("lastAttemptAt").asString()).plusSeconds(60));

        // A day of failures pauses the endpoint, audited; nothing more is sent until a team admin resumes it.
        clock.advance(Duration.ofHours(24));
        deliverUntil(() -> root.get(base() + "/" + id).json().get("pausedAt").isString());
        var paused = root.get(base() + "/" + id).json();
        assertThat(paused.get("pausedReason").asString()).startsWith("every delivery failed since");
        int sent = receiver.received().size();
        tellFailure();
        deliverer.deliverDue();
        assertThat(receiver.received()).hasSize(sent);
        assertThat(root.get("/api/v1/audit?team=" + team).body()).contains("notification.endpoint.pause");

        receiver.answer(204);
        assertThat(root.post(base() + "/" + id + "/resume", Map.of()).status()).isEqualTo(200);
        assertThat(root.post(base() + "/" + id + "/resume", Map.of()).status()).isEqualTo(409);
        deliverUntil(() -> deliveries(id).get(0).get("status").asString().equals("DELIVERED"));
        assertThat(receiver.received()).hasSize(sent + 1);
    }

    private void tellFailure() {
        long teamId = context.getBean(dev.berth.platform.teams.TeamLookup.class).idOf(team);
        context.getBean(NotificationOutbox.class).tell(List.of(new NotificationOutbox.Told(teamId, Notice.of(
                NotificationEvent.DEPLOYMENT_FAILED, team, "web", clock.instant(), "it failed", Map.of("revision", 3)))));
    }

    @Test
    void urlsLeadingToPrivateOrLinkLocalAddressesAreRefusedWithTheReason() {
        for (String url : List.of("http://10.0.0.1/hook", "http://169.254.169.254/latest/meta-data", "ftp://example.com/x",
                "http://user:pw@127.0.0.1/")) {
            var r = root.post(base(), Map.of("name", "bad", "url", url, "events", List.of("deployment.failed")));
            assertThat(r.status()).as(url).isEqualTo(400);
            assertThat(r.body()).as(url).contains("url: ");
        }
        var r = root.post(base(), Map.of("name", "bad", "url", "http://169.254.169.254/", "events", List.of("deployment.failed")));
        assertThat(r.body()).contains("a link-local address").contains("berth.network.allowed-private-targets");
        var unknown = root.post(base(), Map.of("name", "bad", "url", receiver.url("/").toString(), "events", List.of("deploy.done")));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("events[0]: unknown event 'deploy.done'");
        assertThat(root.get(base()).json()).isEmpty();
    }

    @Test
    void updateKeepsTheSecretAndDeleteTakesTheDeliveries() {
        var created = create("edit", "GENERIC", List.of("deployment.failed"));
        long id = created.get("endpoint").get("id").asLong();
        var updated = root.put(base() + "/" + id, Map.of("name", "edited", "url", receiver.url("/other").toString(),
                "format", "SLACK", "events", List.of("deployment.succeeded", "deployment.failed"), "enabled", false));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json().get("name").asString()).isEqualTo("edited");
        assertThat(updated.json().get("enabled").asBoolean()).isFalse();
        assertThat(updated.json().get("events").toString()).isEqualTo("[\"deployment.succeeded\",\"deployment.failed\"]");
        assertThat(root.put(base() + "/" + id, Map.of("name", "x", "url", "http://10.0.0.1/", "events", List.of("host.lost")))
                .status()).isEqualTo(400);
        assertThat(root.delete(base() + "/" + id).status()).isEqualTo(204);
        assertThat(root.get(base() + "/" + id).status()).isEqualTo(404);
        assertThat(root.get(base() + "/" + id + "/deliveries").status()).isEqualTo(404);
    }
}
