package dev.berth.platform.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.MutableClock;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.notifications.NotificationDeliverer;
import dev.berth.platform.notifications.NotificationOutbox;
import dev.berth.platform.notifications.Receiver;
import dev.berth.platform.repositories.SecretBox;
import dev.berth.platform.teams.TeamLookup;
import dev.berth.registry.network.AddressPolicy;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A domain whose certificate orders keep failing is told to the team routing it, over the real
 * database, outbox and deliverer to a receiver on 127.0.0.1, once per failure episode. The orders
 * fail for a reason that needs no CA: the platform has not accepted the CA's terms.
 */
class CertificateFailingNotificationsTest extends PlatformTest {
    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    SecretBox box;
    @Autowired
    TeamLookup teams;
    @Autowired
    NotificationOutbox outbox;
    @Autowired
    NotificationDeliverer deliverer;
    @Autowired
    TransactionTemplate tx;

    private final MutableClock clock = new MutableClock();
    private Api root;
    private String team;
    private String host;
    private Receiver receiver;
    private CertificateManager manager;

    @BeforeEach
    void setUp() throws Exception {
        var api = Api.at(port);
        root = api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
        team = "certs-" + System.nanoTime();
        host = "shop-" + System.nanoTime() + ".example.com";
        assertThat(root.post("/api/v1/teams", Map.of("name", team)).status()).isEqualTo(201);
        receiver = new Receiver();
        var created = root.post("/api/v1/teams/" + team + "/notifications", Map.of("name", "ops",
                "url", receiver.url("/hook").toString(), "events", List.of("certificate.failing")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);

        // The integrator's seam: the team's app "shop" routes the host.
        RouteOwners owners = h -> h.equals(host) ? Set.of(team + "/shop") : Set.of();
        var beans = new StaticListableBeanFactory(Map.of("owners", owners));
        var failures = new CertificateFailures(new AcmeStore(jdbc), beans.getBeanProvider(RouteOwners.class), teams, outbox, tx);
        var noTerms = new AcmeProperties(URI.create("https://127.0.0.1:9/directory"), null, false, null, null, null);
        manager = new CertificateManager(new AcmeStore(jdbc), new UploadedCertificateStore(jdbc), box, noTerms,
                AddressPolicy.of(List.of(), Set.of(), "test"), h -> List.of(), Set::of, c -> false,
                event -> {
                    if (event instanceof CertificateOrderFailed f) failures.onOrderFailed(f);
                }, clock, () -> { });
    }

    /** The stand-in certificate below is no real one: other tests of the shared database hand every valid one to edges. */
    @AfterEach
    void tearDown() {
        receiver.close();
        jdbc.sql("DELETE FROM acme_certificates WHERE host = ?").param(host).update();
    }

    /** One order, then the backoff waited out. */
    private void failOnce() {
        manager.ensure(Set.of(host));
        clock.advance(Duration.ofHours(7));
    }

    /** What the receiver got once nothing owed to the team is left unsent (the deliverer's own tick may send it first). */
    private List<JsonNode> heard() throws InterruptedException {
        for (int i = 0; i < 400 && pending() > 0; i++) {
            deliverer.deliverDue();
            Thread.sleep(25);
        }
        assertThat(pending()).as("sent in time").isZero();
        return receiver.received().stream().map(r -> Api.JSON.readTree(r.text())).toList();
    }

    private long pending() {
        return jdbc.sql("SELECT count(*) FROM notification_deliveries d JOIN notification_endpoints e ON e.id = d.endpoint_id"
                + " JOIN teams t ON t.id = e.team_id WHERE t.name = ? AND (d.status = 'PENDING' AND d.response_code IS NULL)")
                .param(team).query(Long.class).single();
    }

    @Test
    void theThirdFailureInARowIsToldOnceAndAnExpiringCertificatesFirstFailureStartsTheNextEpisode() throws Exception {
        failOnce();
        failOnce();
        assertThat(heard()).isEmpty();
        failOnce();
        failOnce();
        failOnce();
        var told = heard();
        assertThat(told).singleElement().satisfies(n -> {
            assertThat(n.get("type").asString()).isEqualTo("certificate.failing");
            assertThat(n.get("team").asString()).isEqualTo(team);
            assertThat(n.get("app").asString()).isEqualTo("shop");
            var details = n.get("details");
            assertThat(details.get("domain").asString()).isEqualTo(host);
            assertThat(details.get("failures").asString()).isEqualTo("3");
            assertThat(details.get("error").asString()).contains("has not accepted the terms of service");
            assertThat(details.has("expiresAt")).isFalse();
            assertThat(n.get("summary").asString()).startsWith("no certificate for " + host + " after 3 failed orders"
                    + " (it has no certificate yet)");
        });

        // A certificate issued ends the episode; its renewal failing 5 days before expiry is told at once.
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        new AcmeStore(jdbc).issued(host, "-----BEGIN CERTIFICATE-----", new byte[] {1}, "Test CA", now.minus(Duration.ofDays(85)),
                now.plus(Duration.ofDays(5)), now);
        failOnce();
        var again = heard();
        assertThat(again).hasSize(2);
        var details = again.get(1).get("details");
        assertThat(details.get("failures").asString()).isEqualTo("1");
        assertThat(Instant.parse(details.get("expiresAt").asString())).isEqualTo(now.plus(Duration.ofDays(5)));
        failOnce();
        assertThat(heard()).hasSize(2);
    }
}
