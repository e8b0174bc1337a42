package dev.berth.uitests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testfixtures.Await;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A team learns from its app's page why the app cannot reach its database: a real agent runs an
 * app with {@code egress: none} that keeps trying 203.0.113.9:5432 (TEST-NET-3; the agent's
 * firewall drops it before it leaves the host, and no route to it is added), and the Network tab
 * shows the refused destination with its count and what to do; an app that tries nothing shows
 * the empty state. Screenshots land in target/screenshots/refusals.
 */
class RefusalsBrowserTest {
    private static final Duration DEPLOY = Duration.ofSeconds(90);
    @RegisterExtension
    static final ClusterAndBrowser fixture = new ClusterAndBrowser("refusals");

    static String definition(String image) {
        return """
                apiVersion: berth/v1
                apps:
                  billing:
                    image: %s
                    command: ["/bin/sh", "-c", "while true; do /bin/busybox nc -w 1 203.0.113.9 5432 </dev/null; sleep 1; done"]
                    egress: none
                    resources: {memory: 32Mi, cpu: 0.1, pids: 16}
                  quiet:
                    image: %s
                    command: ["/bin/sh", "-c", "exec sleep 3600"]
                    egress: none
                    resources: {memory: 32Mi, cpu: 0.1, pids: 16}
                """.formatted(image, image);
    }

    @Test
    void theAppPageShowsWhatItMayReachAndWhatItWasRefused() throws Exception {
        try {
            fixture.cluster.startAgent("a", "23700-23799");
            fixture.cluster.push(definition(fixture.cluster.image), "Billing tries its database");
            fixture.cluster.awaitApp("billing", DEPLOY, "billing running",
                    app -> app.path("deployment").path("state").asString().equals("succeeded"));
            fixture.cluster.awaitApp("quiet", DEPLOY, "quiet running",
                    app -> app.path("deployment").path("state").asString().equals("succeeded"));

            fixture.browser.driver.get(fixture.cluster.baseUrl + "/login");
            fixture.browser.signIn("admin", Cluster.ADMIN_PASSWORD);
            fixture.browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("teams-grid")));
            fixture.browser.navigate("Apps", "apps-grid");

            // An app that tried nothing it may not: the empty state.
            openApp("quiet");
            openTab("Network");
            fixture.browser.wait.until(d -> fixture.browser.deepText(d.findElement(By.id("refused-grid")))
                    .contains("Nothing refused: no container of this app tried to reach what it may not."));
            assertThat(fixture.browser.text(By.id("network-egress"))).isEqualTo("egress: none — no address outside the platform");
            fixture.browser.screenshot("network-nothing-refused");

            // The app that keeps trying its database: the refused row, with a count that grows.
            fixture.browser.navigate("Apps", "apps-grid");
            openApp("billing");
            openTab("Network");
            fixture.browser.waitFor(DEPLOY).until(d -> {
                fixture.browser.click(By.id("network-refresh"));
                return fixture.browser.gridRows("refused-grid").stream().anyMatch(r -> r.getFirst().equals("203.0.113.9:5432"));
            });
            var row = fixture.browser.gridRows("refused-grid").stream()
                    .filter(r -> r.getFirst().equals("203.0.113.9:5432")).findFirst().orElseThrow();
            assertThat(row.get(1)).isEqualTo("tcp");
            assertThat(Long.parseLong(row.get(2))).isPositive();
            assertThat(row.get(3)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
            assertThat(row.get(4)).isEqualTo("egress is none: declare egress: public or list it under egressTo");
            assertThat(fixture.browser.text(By.id("network-egress-to"))).isEqualTo("egressTo: no private destination");
            assertThat(fixture.browser.text(By.id("network-connects"))).isEqualTo("connects: no other app of the team");
            fixture.browser.screenshot("network-refused");

            // The same through the API, and the count goes on growing.
            long first = Long.parseLong(row.get(2));
            Await.until(DEPLOY, "the count grows", () -> {
                try {
                    return fixture.cluster.api("GET", "/api/v1/teams/" + Cluster.TEAM + "/apps/billing/network", null, 200)
                            .path("refused").get(0);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, r -> r.path("destination").asString().equals("203.0.113.9") && r.path("port").asInt() == 5432
                    && r.path("protocol").asString().equals("tcp") && r.path("count").asLong() > first);
        } catch (AssertionError | RuntimeException e) {
            fixture.browser.screenshot("failure");
            throw e;
        }
    }

    private void openApp(String app) {
        fixture.browser.openRow("apps-grid", 0, app, "app-title");
        fixture.browser.wait.until(d -> fixture.browser.text(By.id("app-title")).equals(Cluster.TEAM + "/" + app));
    }

    private void openTab(String label) {
        fixture.browser.click(By.xpath("//vaadin-tab[normalize-space(.)='" + label + "']"));
    }
}
