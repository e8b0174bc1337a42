package dev.berth.uitests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testfixtures.GitCli;
import dev.berth.testfixtures.PublishedAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The deploy and rollback flows in the dashboard, against a real platform, registry and agent: the
 * Apps view fills in live as a push deploys, an app waiting for a secret proceeds once it is set in
 * the Secrets tab, the App view shows the timeline, replicas with their measured isolation report
 * and the replica's log, a second push moves the timeline without a reload, and a rollback is
 * confirmed in a dialog. Screenshots land in target/screenshots/apps.
 */
class AppsBrowserTest {
    private static final Duration DEPLOY = Duration.ofSeconds(60);
    @RegisterExtension
    static final ClusterAndBrowser fixture = new ClusterAndBrowser("apps");

    static String definition(String image, String greeting) {
        return """
                apiVersion: berth/v1
                apps:
                  web:
                    image: %s
                    command: ["/bin/sh", "-c", "echo \\"web starting: $GREETING\\"; echo \\"$GREETING\\" > /tmp/index.html && exec httpd -f -p 8080 -h /tmp"]
                    env: {GREETING: %s}
                    secrets: [API_KEY]
                    resources: {memory: 64Mi, cpu: 0.25, pids: 64}
                    ports: [{name: http, port: 8080, publish: true}]
                    health: {http: {port: http, path: /index.html}, interval: 1s, timeout: 1s}
                    tmpfs: {/tmp: 1Mi}
                """.formatted(image, greeting);
    }

    @Test
    void deployWaitsForASecretThenServesAndRollsBackFromTheDashboard() throws Exception {
        try {
            fixture.cluster.startAgent("a", "22000-22099");
            fixture.browser.driver.get(fixture.cluster.baseUrl + "/login");
            fixture.browser.signIn("admin", Cluster.ADMIN_PASSWORD);
            fixture.browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("teams-grid")));
            fixture.browser.navigate("Apps", "apps-grid");
            assertThat(fixture.browser.deepText(fixture.browser.driver.findElement(By.id("apps-grid"))))
                    .contains("No apps yet. Push a berth.yaml to one of this team's repositories");
            fixture.browser.screenshot("apps-empty");

            // A push: the app appears without a reload, waiting for its secret.
            long rev1 = GitCli.revisionOf(fixture.cluster.push(definition(fixture.cluster.image, "one"), "Deploy web"));
            fixture.browser.waitForRow("apps-grid", 0, "web");
            fixture.browser.screenshot("apps-waiting-for-secret");
            openApp();
            var deploy = fixture.browser.waitFor(DEPLOY);
            deploy.until(d -> fixture.browser.text(By.id("app-differences")).contains("secret API_KEY is not set"));
            fixture.browser.screenshot("app-missing-secret");

            // The secret, set in its tab: the deployment proceeds and the page follows it live.
            openTab("Secrets");
            fixture.browser.type(By.cssSelector("#secret-name input"), "API_KEY");
            fixture.browser.type(By.cssSelector("#secret-value input"), "s3cret-value");
            fixture.browser.click(By.id("secret-set"));
            fixture.browser.waitForRow("secrets-grid", 0, "API_KEY");
            assertThat(fixture.browser.driver.getPageSource()).doesNotContain("s3cret-value");
            deploy.until(d -> fixture.browser.text(By.id("app-state")).contains("succeeded")
                    && fixture.browser.text(By.id("app-revision")).contains("1/1 healthy"));
            assertThat(fixture.browser.text(By.id("app-differences"))).contains("Live matches desired.");
            openTab("Deployments");
            fixture.browser.waitForRow("deployments-grid", 1, "#" + rev1);
            fixture.browser.screenshot("app-deployed");

            // Replicas, with the isolation report the agent measured on the live process.
            openTab("Replicas");
            fixture.browser.wait.until(d -> fixture.browser.gridRows("replicas-grid").stream().anyMatch(r -> r.get(3).equals("healthy")));
            String published = fixture.browser.gridRows("replicas-grid").getFirst().get(4);
            assertThat(PublishedAddress.fetch(published)).isEqualTo("one");
            fixture.browser.click(By.cssSelector("vaadin-button[id^='isolation-']"));
            fixture.browser.wait.until(d -> fixture.browser.text(By.id("isolation-summary")).startsWith("All "));
            assertThat(fixture.browser.text(By.id("isolation-summary"))).contains("checks passed");
            fixture.browser.screenshot("isolation-report");
            fixture.browser.click(By.id("isolation-close"));

            // The replica's output, shipped by its agent.
            openTab("Logs");
            fixture.browser.wait.until(d -> fixture.browser.text(By.id("logs-output")).contains("web starting: one"));
            fixture.browser.screenshot("logs");

            // A second push: the timeline moves without a reload.
            openTab("Deployments");
            long rev2 = GitCli.revisionOf(fixture.cluster.push(definition(fixture.cluster.image, "two"), "Say two"));
            fixture.browser.waitForRow("deployments-grid", 1, "#" + rev2);
            deploy.until(d -> fixture.browser.gridRows("deployments-grid").getFirst().get(3).equals("succeeded"));
            assertThat(PublishedAddress.fetch(published)).isEqualTo("two");
            fixture.browser.screenshot("second-deploy");

            // Roll back to the first revision, confirmed in the dialog.
            fixture.browser.click(By.id("rollback-open"));
            fixture.browser.click(By.id("rollback-revision"));
            fixture.browser.pickItem("vaadin-combo-box-item", fixture.browser.wait.until(d -> comboItemStartingWith("#" + rev1 + " ")));
            fixture.browser.type(By.cssSelector("#rollback-reason input"), "two is the wrong greeting");
            fixture.browser.wait.until(d -> fixture.browser.text(By.id("rollback-confirm")).equals("Roll back to #" + rev1));
            fixture.browser.screenshot("rollback-confirm");
            fixture.browser.click(By.id("rollback-confirm"));
            deploy.until(d -> fixture.browser.text(By.id("app-state")).contains("succeeded · rollback"));
            assertThat(fixture.browser.gridRows("deployments-grid").getFirst()).containsSubsequence("#" + rev1, "rollback");
            assertThat(PublishedAddress.fetch(published)).isEqualTo("one");
            fixture.browser.screenshot("rolled-back");
        } catch (AssertionError | RuntimeException e) {
            fixture.browser.screenshot("failure");
            throw e;
        }
    }

    private void openApp() {
        fixture.browser.openRow("apps-grid", 0, "web", "app-title");
        assertThat(fixture.browser.text(By.id("app-title"))).isEqualTo("acme/web");
    }

    private void openTab(String label) {
        fixture.browser.click(By.xpath("//vaadin-tab[normalize-space(.)='" + label + "']"));
    }

    @SuppressWarnings("unchecked")
    private String comboItemStartingWith(String prefix) {
        var labels = (List<String>) fixture.browser.js("return [...document.querySelectorAll('vaadin-combo-box-item')]"
                + ".map(i => i.textContent.trim());");
        return labels.stream().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
    }
}
