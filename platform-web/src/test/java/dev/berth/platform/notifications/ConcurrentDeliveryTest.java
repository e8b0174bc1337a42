package dev.berth.platform.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.audit.AuditOutbox;
import dev.berth.platform.repositories.SecretBox;
import dev.berth.platform.teams.TeamLookup;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.transaction.support.TransactionTemplate;

/** Deliverers of several platform instances at once send each delivery once; a rolled-back change owes nothing. */
class ConcurrentDeliveryTest extends PlatformTest {
    @LocalServerPort
    int port;
    @Autowired
    NotificationOutbox outbox;
    @Autowired
    DeliveryStore deliveries;
    @Autowired
    EndpointStore endpoints;
    @Autowired
    SecretBox box;
    @Autowired
    WebhookSender sender;
    @Autowired
    AuditOutbox audit;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    Clock clock;
    @Autowired
    TeamLookup teams;

    @Test
    void threeDeliverersAtOnceSendEachEventOnce() throws Exception {
        var api = Api.at(port);
        var root = api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
        String team = "notify-many-" + System.nanoTime();
        assertThat(root.post("/api/v1/teams", Map.of("name", team)).status()).isEqualTo(201);
        try (var receiver = new Receiver()) {
            var created = root.post("/api/v1/teams/" + team + "/notifications", Map.of("name", "all",
                    "url", receiver.url("/").toString(), "events", List.of("deployment.succeeded")));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            long teamId = teams.idOf(team);

            // Owed in a transaction that rolls back: never sent.
            tx.executeWithoutResult(s -> {
                outbox.tell(List.of(told(teamId, team, "rolled-back")));
                s.setRollbackOnly();
            });
            var expected = new HashSet<String>();
            tx.executeWithoutResult(s -> {
                var many = new ArrayList<NotificationOutbox.Told>();
                for (int i = 0; i < 60; i++) many.add(told(teamId, team, "app" + i));
                many.forEach(t -> expected.add(t.notice().id().toString()));
                outbox.tell(many);
            });

            // Besides this instance's own deliverer, which ticks meanwhile.
            var others = new ArrayList<Callable<Integer>>();
            for (int i = 0; i < 3; i++) {
                var d = new NotificationDeliverer(deliveries, endpoints, box, sender, audit, tx, clock, NotificationDeliverer.PAUSE_AFTER);
                others.add(d::deliverDue);
            }
            try (var pool = Executors.newFixedThreadPool(3)) {
                for (var f : pool.invokeAll(others)) f.get();
            }
            // Each deliverer stops once nothing is due that others do not hold; the last sends may still be under way.
            for (int i = 0; i < 400 && receiver.received().size() < expected.size(); i++) Thread.sleep(25);

            var ids = receiver.received().stream().map(r -> r.header("X-Berth-Event-Id")).toList();
            assertThat(ids).hasSize(expected.size());
            assertThat(new HashSet<>(ids)).isEqualTo(expected);
            assertThat(ids.stream().collect(Collectors.groupingBy(i -> i, Collectors.counting())).values()).containsOnly(1L);
        }
    }

    @Autowired
    NotificationDeliverer own;

    @Test
    void aClaimedBatchIsSentSideBySideSoSlowReceiversCannotOutlastItsLease() throws Exception {
        var api = Api.at(port);
        var root = api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
        String team = "notify-batch-" + System.nanoTime();
        assertThat(root.post("/api/v1/teams", Map.of("name", team)).status()).isEqualTo(201);
        own.stop(); // one deliverer, so the batch is one claim
        try (var receiver = new Receiver()) {
            var created = root.post("/api/v1/teams/" + team + "/notifications", Map.of("name", "slow",
                    "url", receiver.url("/").toString(), "events", List.of("deployment.succeeded")));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            long teamId = teams.idOf(team);
            tx.executeWithoutResult(s -> outbox.tell(List.of(told(teamId, team, "a"), told(teamId, team, "b"),
                    told(teamId, team, "c"))));
            receiver.answerWhenTogether(3);

            assertThat(new NotificationDeliverer(deliveries, endpoints, box, sender, audit, tx, clock, NotificationDeliverer.PAUSE_AFTER).deliverDue()).isEqualTo(3);
            // One after another, each would have waited for the others in vain.
            assertThat(receiver.mostAtOnce()).isEqualTo(3);
        } finally {
            own.start();
        }
    }

    private NotificationOutbox.Told told(long teamId, String team, String app) {
        return new NotificationOutbox.Told(teamId, Notice.of(NotificationEvent.DEPLOYMENT_SUCCEEDED, team, app, clock.instant(),
                app + " deployed", Map.of()));
    }
}
