package dev.berth.uitests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testfixtures.PublishedAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Draining and removing a host from the Hosts view, against a real platform, registry and two real
 * agents: the drain is confirmed in a dialog with a reason, the host shows as draining while its
 * replica moves to the other host (which keeps serving), and the removal, confirmed likewise, takes
 * the host off the list and ends its agent's credential at once. Screenshots land in
 * target/screenshots/hosts.
 */
class HostsBrowserTest {
    private static final Duration MOVE = Duration.ofSeconds(90);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    @RegisterExtension
    static final ClusterAndBrowser fixture = new ClusterAndBrowser("hosts");

    private static String definition(String image) {
        return """
                apiVersion: berth/v1
                apps:
                  web:
                    image: %s
                    command: ["/bin/sh", "-c", "echo hello > /tmp/index.html && exec httpd -f -p 8080 -h /tmp"]
                    replicas: 2
                    resources: {memory: 64Mi, cpu: 0.25, pids: 64}
                    ports: [{name: http, port: 8080, publish: true}]
                    health: {http: {port: http, path: /index.html}, interval: 1s, timeout: 1s}
                    tmpfs: {/tmp: 1Mi}
                """.formatted(image);
    }

    /** The app's replicas that run healthy, each on the host named. */
    private static boolean healthyOn(JsonNode app, int count, String... hostIds) {
        var replicas = StreamSupport.stream(app.path("replicas").spliterator(), false).toList();
        return replicas.size() == count && replicas.stream().allMatch(r -> r.path("state").asString().equals("HEALTHY")
                && java.util.List.of(hostIds).contains(r.path("hostId").asString()));
    }

    @Test
    void drainAndRemoveAHostFromTheDashboard() throws Exception {
        try {
            var agents = fixture.cluster.startAgents(new AgentStart("a", "22400-22449"), new AgentStart("b", "22450-22499"));
            var a = agents.get(0);
            var b = agents.get(1);
            fixture.cluster.push(definition(fixture.cluster.image), "Deploy web");
            fixture.cluster.awaitApp("web", MOVE, "two healthy replicas, one on each host", app -> healthyOn(app, 2, a.hostId, b.hostId)
                    && StreamSupport.stream(app.path("replicas").spliterator(), false)
                            .anyMatch(r -> r.path("hostId").asString().equals(a.hostId)));

            fixture.browser.driver.get(fixture.cluster.baseUrl + "/login");
            fixture.browser.signIn("admin", Cluster.ADMIN_PASSWORD);
            fixture.browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("teams-grid")));
            fixture.browser.navigate("Hosts", "hosts-grid");
            fixture.browser.wait.until(d -> fixture.browser.gridRows("hosts-grid").size() == 2);
            fixture.browser.screenshot("hosts");

            // Drain a, confirmed with a reason: it shows as draining and its replica moves to b.
            fixture.browser.click(By.id("drain-" + a.hostId));
            fixture.browser.wait.until(d -> fixture.browser.text(By.id("host-action-confirm")).startsWith("Drain "));
            assertThat(fixture.browser.text(By.id("host-action-explanation"))).contains("gets no new replicas");
            fixture.browser.type(By.cssSelector("#host-action-reason input"), "kernel upgrade");
            fixture.browser.screenshot("drain-confirm");
            fixture.browser.click(By.id("host-action-confirm"));
            fixture.browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("draining-" + a.hostId)));
            assertThat(fixture.browser.driver.findElements(By.id("undrain-" + a.hostId))).hasSize(1);
            fixture.cluster.awaitApp("web", MOVE, "both replicas healthy on b", app -> healthyOn(app, 2, b.hostId));
            String published = fixture.cluster.app("web").path("replicas").get(0).path("published").get(0).path("address").asString();
            assertThat(PublishedAddress.fetch(published)).isEqualTo("hello");
            // The hosts list follows the heartbeats: a reports no containers any more.
            new org.openqa.selenium.support.ui.WebDriverWait(fixture.browser.driver, MOVE).until(d -> fixture.browser.gridRows("hosts-grid").stream()
                    .anyMatch(r -> r.contains(a.hostId) && r.contains("none")));
            fixture.browser.screenshot("drained");

            // Remove a, confirmed: it leaves the list, and its credential is refused at once.
            fixture.browser.click(By.id("remove-" + a.hostId));
            fixture.browser.wait.until(d -> fixture.browser.text(By.id("host-action-confirm")).startsWith("Remove "));
            assertThat(fixture.browser.text(By.id("host-action-explanation"))).contains("credential stops working at once");
            fixture.browser.type(By.cssSelector("#host-action-reason input"), "decommissioned");
            fixture.browser.screenshot("remove-confirm");
            fixture.browser.click(By.id("host-action-confirm"));
            fixture.browser.wait.until(d -> fixture.browser.gridRows("hosts-grid").stream().noneMatch(r -> r.contains(a.hostId)));
            assertThat(fixture.browser.gridRows("hosts-grid")).hasSize(1);
            fixture.browser.screenshot("removed");

            String credential = JSON.readTree(Files.readString(a.state.resolve("platform/credential.json"))).path("credential")
                    .asString();
            var refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(fixture.cluster.baseUrl + "/agent/v1/assignments"))
                    .header("Authorization", "Bearer " + credential).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).contains("host " + a.hostId + " was removed from the platform");
            assertThat(PublishedAddress.fetch(published)).isEqualTo("hello");

            String audit = fixture.cluster.raw("GET", "/api/v1/audit?action=host.drain") + fixture.cluster.raw("GET", "/api/v1/audit?action=host.remove");
            assertThat(audit).contains("\"host.drain\"").contains("kernel upgrade").contains("\"host.remove\"")
                    .contains("decommissioned").contains("host:" + a.hostId);
        } catch (AssertionError | RuntimeException e) {
            fixture.browser.screenshot("failure");
            throw e;
        }
    }
}
