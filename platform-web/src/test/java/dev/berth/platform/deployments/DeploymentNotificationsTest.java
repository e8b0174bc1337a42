package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.berth.platform.Api;
import dev.berth.platform.notifications.Signature;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What a team's webhook hears of a real rollout with simulated agents: the start, the success, a
 * rollback and the loss of a host its replicas ran on, each signed with the endpoint's secret.
 */
class DeploymentNotificationsTest extends DeployTest {
    private record Heard(String event, String signature, byte[] body) {
    }

    @Test
    void aWebhookHearsTheRolloutAndTheLossOfAHost() throws Exception {
        var heard = new CopyOnWriteArrayList<Heard>();
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                heard.add(new Heard(exchange.getRequestHeaders().getFirst("X-Berth-Event"),
                        exchange.getRequestHeaders().getFirst(Signature.HEADER), exchange.getRequestBody().readAllBytes()));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.start();
        try {
            var a = agent("a");
            var b = agent("b");
            onlyTheseHostsAlive(a, b);
            String team = team();
            var created = admin.post("/api/v1/teams/" + team + "/notifications", Map.of("name", "ops",
                    "url", "http://127.0.0.1:" + server.getAddress().getPort() + "/hook", "format", "GENERIC",
                    "events", List.of("deployment.started", "deployment.succeeded", "deployment.rolled-back", "host.lost")));
            expect(201, created);
            String secret = created.json().get("signingSecret").asString();

            long revision = push(team, web(2, "one", ""));
            succeededAt(team, "web", revision);
            eventually(() -> assertThat(heard).extracting(Heard::event).contains("deployment.started", "deployment.succeeded"));
            long second = push(team, web(2, "two", ""));
            succeededAt(team, "web", second);
            expect(201, admin.post("/api/v1/teams/" + team + "/apps/web/rollback", Map.of("revision", revision,
                    "reason", "two breaks checkout")));
            eventually(() -> assertThat(heard).extracting(Heard::event).contains("deployment.rolled-back"));
            var rolledBack = Api.JSON.readTree(new String(heard.stream().filter(h -> h.event().equals("deployment.rolled-back"))
                    .findFirst().orElseThrow().body(), StandardCharsets.UTF_8));
            assertThat(rolledBack.get("details").get("automatic").asString()).isEqualTo("false");
            assertThat(rolledBack.get("details").get("reason").asString()).isEqualTo("two breaks checkout");
            assertThat(rolledBack.get("details").get("revision").asString()).isEqualTo(Long.toString(revision));

            b.close();
            eventually(() -> assertThat(heard).extracting(Heard::event).contains("host.lost"));
            var lost = heard.stream().filter(h -> h.event().equals("host.lost")).toList();
            assertThat(lost).singleElement().satisfies(h -> {
                var body = Api.JSON.readTree(new String(h.body(), StandardCharsets.UTF_8));
                assertThat(body.get("team").asString()).isEqualTo(team);
                assertThat(body.get("details").get("host").asString()).isEqualTo(b.hostId);
                assertThat(body.get("details").get("apps").asString()).isEqualTo("web");
            });
            assertThat(heard).allSatisfy(h -> assertThat(h.signature()).isEqualTo(Signature.of(secret, h.body())));
            b.resume();
            retire(team);
        } finally {
            server.stop(0);
        }
    }
}
