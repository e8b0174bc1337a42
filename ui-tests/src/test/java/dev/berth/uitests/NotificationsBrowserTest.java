package dev.berth.uitests;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A team admin opens Notifications from the navigation, sees the empty state, adds an endpoint
 * pointing at a real receiver on 127.0.0.1 (loopback is allowed to this cluster's platform, as an
 * administrator would allow it) and copies its signing secret; a push's deployment.started reaches
 * the receiver and shows in the endpoint's deliveries with its status code; "Send again" sends it
 * again; a receiver that fails twice (the pause threshold lowered to 2) pauses the endpoint, which
 * the page and the header of every page tell; Resume lets it receive again. Screenshots land in
 * target/screenshots/notifications.
 */
class NotificationsBrowserTest {
    @RegisterExtension
    static final ClusterAndBrowser fixture = new ClusterAndBrowser("notifications", "--berth.notifications.pause-after=2");

    /** What the receiver got: each request's event header and delivery id. */
    private record Got(String event, String eventId, String delivery) {
    }

    private static final String MEMBER_PASSWORD = "a-long-enough-password";
    private final List<Got> got = new CopyOnWriteArrayList<>();
    private final AtomicInteger answer = new AtomicInteger(200);

    private HttpServer receiver() throws Exception {
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                var h = exchange.getRequestHeaders();
                got.add(new Got(h.getFirst("X-Berth-Event"), h.getFirst("X-Berth-Event-Id"), h.getFirst("X-Berth-Delivery")));
                byte[] body = ("receiver says " + answer.get()).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(answer.get(), body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        return server;
    }

    private Browser browser() {
        return fixture.browser;
    }

    private void waitForNotice(String text) {
        browser().wait.until(d -> d.findElements(By.tagName("vaadin-notification-card")).stream()
                .map(WebElement::getText).anyMatch(t -> t.contains(text)));
    }

    @Test
    void anAdminAddsAnEndpointSeesItsDeliveriesSendsOneAgainAndResumesItOncePaused() throws Exception {
        var server = receiver();
        try {
            var b = browser();
            b.driver.get(fixture.cluster.baseUrl + "/login");
            b.signIn("admin", Cluster.ADMIN_PASSWORD);
            b.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("teams-grid")));
            b.navigate("Notifications", "notifications-team");
            b.wait.until(d -> b.text(By.id("endpoints-empty")).startsWith("No endpoints yet"));
            assertThat(b.text(By.id("endpoints-empty"))).isEqualTo("No endpoints yet — add one to hear about deploys, crash"
                    + " loops, lost hosts and failing certificates.");
            b.screenshot("notifications-empty");

            b.click(By.id("add-endpoint"));
            b.type(By.cssSelector("#endpoint-name input"), "ops");
            b.type(By.cssSelector("#endpoint-url input"), "http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
            b.screenshot("notifications-add");
            b.click(By.id("endpoint-save"));
            var secret = b.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("signing-secret")));
            String signingSecret = (String) b.js("return arguments[0].value;", secret);
            assertThat(signingSecret).matches("whsec_[0-9a-f]{64}");
            // Granted as a person's browser would ask for it; headless Chrome refuses the clipboard otherwise.
            b.driver.executeCdpCommand("Browser.grantPermissions", java.util.Map.of("origin", fixture.cluster.baseUrl,
                    "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
            b.click(By.id("copy-signing-secret"));
            waitForNotice("Signing secret copied");
            assertThat(b.driver.executeAsyncScript("navigator.clipboard.readText().then(arguments[0], e => arguments[0]('' + e))"))
                    .isEqualTo(signingSecret);
            b.screenshot("notifications-secret");
            b.click(By.id("signing-secret-close"));
            b.waitForRow("endpoints-grid", 0, "ops");
            var row = b.gridRows("endpoints-grid").getFirst();
            assertThat(row.get(1)).isEqualTo("127.0.0.1:" + server.getAddress().getPort());
            assertThat(row.get(2)).isEqualTo("Generic JSON");
            assertThat(row.get(3)).isEqualTo("all events");
            assertThat(row.get(4)).startsWith("active");
            assertThat(row.get(5)).isEqualTo("none yet");
            // The secret is never shown again, in the page or the API.
            assertThat(b.driver.getPageSource()).doesNotContain(signingSecret);

            // A push starts a deployment: its webhook reaches the receiver and shows in the deliveries.
            fixture.cluster.push("""
                    apiVersion: berth/v1
                    apps:
                      web:
                        image: %s
                        replicas: 1
                    """.formatted(fixture.cluster.image), "deploy web");
            b.click(By.id("deliveries-ops"));
            b.wait.until(d -> b.gridRows("deliveries-grid").stream()
                    .anyMatch(r -> r.get(0).equals("deployment.started") && r.get(4).equals("200")));
            assertThat(got).extracting(Got::event).contains("deployment.started");
            var started = got.stream().filter(g -> g.event().equals("deployment.started")).findFirst().orElseThrow();
            var delivered = b.gridRows("deliveries-grid").stream().filter(r -> r.get(0).equals("deployment.started"))
                    .findFirst().orElseThrow();
            assertThat(delivered.get(3)).isEqualTo("delivered");
            assertThat(delivered.get(5)).isEqualTo("receiver says 200");
            b.screenshot("notifications-delivered");

            // Send again: the receiver gets the same event once more, as a new delivery.
            int before = got.size();
            b.click(By.id("resend-" + started.delivery()));
            waitForNotice("Sending deployment.started again");
            b.wait.until(d -> got.size() > before);
            var again = got.get(before);
            assertThat(again.eventId()).isEqualTo(started.eventId());
            assertThat(again.delivery()).isNotEqualTo(started.delivery());
            b.wait.until(d -> b.gridRows("deliveries-grid").stream()
                    .filter(r -> r.get(0).equals("deployment.started") && r.get(3).equals("delivered")).count() == 2);
            b.screenshot("notifications-sent-again");

            // A receiver that fails twice in a row pauses the endpoint (berth.notifications.pause-after=2).
            answer.set(503);
            int sent = got.size();
            b.click(By.id("resend-" + started.delivery()));
            b.wait.until(d -> got.size() > sent);
            b.click(By.id("resend-" + started.delivery()));
            b.wait.until(d -> b.driver.findElement(By.id("endpoint-paused")).isDisplayed());
            assertThat(b.text(By.id("endpoint-paused"))).contains("2 deliveries failed in a row");
            b.wait.until(d -> b.gridRows("deliveries-grid").stream().anyMatch(r -> r.get(4).equals("503")
                    && r.get(5).equals("receiver says 503")));
            b.screenshot("notifications-paused-deliveries");
            b.click(By.id("deliveries-close"));
            b.wait.until(d -> b.driver.findElement(By.id("notifications-paused-banner")).isDisplayed());
            assertThat(b.text(By.id("notifications-paused-banner"))).contains("Endpoint 'ops' is paused: 2 deliveries failed in a row");
            var paused = b.gridRows("endpoints-grid").getFirst();
            assertThat(paused.get(4)).startsWith("paused").endsWith("2 deliveries failed in a row");
            assertThat(paused.get(5)).startsWith("503 failed, retried ");
            b.screenshot("notifications-paused-page");

            // Every page's header tells the team, and leads back here.
            b.navigate("Apps", "apps-grid");
            b.wait.until(d -> !d.findElements(By.id("paused-endpoint-acme-ops")).isEmpty());
            assertThat(b.text(By.id("paused-endpoint-acme-ops"))).isEqualTo("Team acme's webhook 'ops' is paused: 2 deliveries"
                    + " failed in a row");
            b.screenshot("notifications-header-notice");
            b.click(By.cssSelector("#paused-endpoint-acme-ops a"));
            b.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("endpoints-grid")));
            b.waitForRow("endpoints-grid", 0, "ops");

            // A member who may not manage webhooks is told too, without the link, and has no Notifications entry.
            fixture.cluster.api("POST", "/api/v1/users", "{\"username\":\"acme-dev\",\"password\":\"" + MEMBER_PASSWORD + "\"}", 201);
            fixture.cluster.api("POST", "/api/v1/teams/acme/members", "{\"username\":\"acme-dev\",\"role\":\"DEPLOYER\"}", 201);
            b.driver.manage().deleteAllCookies();
            b.driver.get(fixture.cluster.baseUrl + "/login");
            b.signIn("acme-dev", MEMBER_PASSWORD);
            b.wait.until(d -> !d.findElements(By.id("paused-endpoint-acme-ops")).isEmpty());
            assertThat(b.text(By.id("paused-endpoint-acme-ops"))).isEqualTo("Team acme's webhook 'ops' is paused: 2 deliveries"
                    + " failed in a row; a team admin can resume it");
            assertThat(b.driver.findElements(By.cssSelector("#paused-endpoint-acme-ops a"))).isEmpty();
            assertThat(b.js(Browser.VISIBLE_WITH_TEXT, "vaadin-side-nav-item", "Notifications")).isNull();
            b.screenshot("notifications-member-notice");
            b.driver.manage().deleteAllCookies();
            b.driver.get(fixture.cluster.baseUrl + "/login");
            b.signIn("admin", Cluster.ADMIN_PASSWORD);
            b.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("teams-grid")));
            b.navigate("Notifications", "notifications-team");
            b.waitForRow("endpoints-grid", 0, "ops");

            answer.set(200);
            b.click(By.id("deliveries-ops"));
            b.click(By.id("resume-endpoint"));
            waitForNotice("Endpoint 'ops' resumed");
            b.wait.until(d -> !b.driver.findElement(By.id("endpoint-paused")).isDisplayed());
            // The header looks again at once: nothing of the team is paused now.
            b.wait.until(d -> d.findElements(By.id("paused-endpoint-acme-ops")).isEmpty());
            b.screenshot("notifications-resumed");
            b.click(By.id("deliveries-close"));
            b.wait.until(d -> !b.driver.findElement(By.id("notifications-paused-banner")).isDisplayed());

            // Edited: one event fewer, and the grid says which remain.
            b.click(By.id("edit-ops"));
            ((WebElement) b.wait.until(d -> b.js(Browser.VISIBLE_WITH_TEXT, "vaadin-checkbox", "host.lost"))).click();
            b.click(By.id("endpoint-save"));
            waitForNotice("Endpoint 'ops' saved");
            b.wait.until(d -> b.gridRows("endpoints-grid").getFirst().get(3).equals("deployment.started, deployment.succeeded,"
                    + " deployment.failed, deployment.rolled-back, replica.crash-looping, certificate.failing"));
            b.screenshot("notifications-edited");

            // Deleted after confirming: the empty state again.
            b.click(By.id("delete-ops"));
            b.click(By.cssSelector("#confirm-delete-endpoint [slot='confirm-button']"));
            waitForNotice("Endpoint 'ops' deleted");
            b.wait.until(d -> b.driver.findElement(By.id("endpoints-empty")).isDisplayed());
        } catch (AssertionError | RuntimeException e) {
            fixture.browser.screenshot("failure");
            throw e;
        } finally {
            server.stop(0);
        }
    }
}
