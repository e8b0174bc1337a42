package dev.berth.uitests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testfixtures.GitCli;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The path a new user takes, not one a fixture prepares: a team and a repository created through
 * the API, one push of two apps without secrets (one with two replicas on the only host), then
 * the dashboard: pick the team in Apps, open each app from the list and by its address.
 * Screenshots land in target/screenshots/new-user.
 */
class NewUserBrowserTest {
    private static final Duration DEPLOY = Duration.ofSeconds(60);
    @RegisterExtension
    static final ClusterAndBrowser fixture = new ClusterAndBrowser("new-user");

    private static String definition(String image) {
        return """
                apiVersion: berth/v1
                apps:
                  storefront:
                    image: %1$s
                    replicas: 2
                    command: ["/bin/sh", "-c", "echo storefront > /tmp/index.html && exec httpd -f -p 8080 -h /tmp"]
                    resources: {memory: 64Mi, cpu: 0.25, pids: 64}
                    ports: [{name: http, port: 8080, publish: true}]
                    health: {http: {port: http, path: /index.html}, interval: 1s, timeout: 1s}
                    tmpfs: {/tmp: 1Mi}
                  worker:
                    image: %1$s
                    command: ["/bin/sh", "-c", "echo worker up; exec sleep 100000"]
                    resources: {memory: 32Mi, cpu: 0.1, pids: 16}
                """.formatted(image);
    }

    @Test
    void appsDeployedByAPushOpenFromTheListAndByTheirAddress() throws Exception {
        try {
            fixture.cluster.startAgent("solo", "22200-22299");
            fixture.cluster.api("POST", "/api/v1/teams", "{\"name\":\"shop\"}", 201);
            fixture.cluster.api("POST", "/api/v1/teams/shop/repositories", "{\"name\":\"site\"}", 201);
            GitCli.revisionOf(fixture.cluster.push("shop", "site", definition(fixture.cluster.image), "Two apps"));

            fixture.browser.driver.get(fixture.cluster.baseUrl + "/login");
            fixture.browser.signIn("admin", Cluster.ADMIN_PASSWORD);
            fixture.browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("teams-grid")));
            fixture.browser.navigate("Apps", "apps-grid");
            fixture.browser.click(By.id("apps-team"));
            fixture.browser.pickItem("vaadin-combo-box-item", "shop");
            fixture.browser.waitForRow("apps-grid", 0, "storefront");
            fixture.browser.waitForRow("apps-grid", 0, "worker");
            fixture.browser.waitFor(DEPLOY).until(d -> fixture.browser.gridRows("apps-grid").stream()
                    .anyMatch(r -> r.get(0).equals("storefront") && r.get(2).contains("2/2")));
            fixture.browser.screenshot("apps-of-a-new-team");

            // From the list, as a person clicks it.
            fixture.browser.click(By.xpath("//vaadin-grid-cell-content[normalize-space(.)='storefront']"));
            fixture.browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("app-title")));
            fixture.browser.waitForVaadin();
            assertThat(fixture.browser.text(By.id("app-title"))).isEqualTo("shop/storefront");
            assertThat(fixture.browser.driver.getCurrentUrl()).endsWith("/apps/shop/storefront");
            assertThat(fixture.browser.text(By.id("app-revision"))).contains("2/2 healthy");
            fixture.browser.click(By.xpath("//vaadin-tab[normalize-space(.)='Replicas']"));
            fixture.browser.wait.until(d -> fixture.browser.gridRows("replicas-grid").stream().filter(r -> r.get(3).equals("healthy")).count() == 2);
            fixture.browser.screenshot("storefront");

            // By its address, as a bookmark or a link from a colleague opens it.
            fixture.browser.driver.get(fixture.cluster.baseUrl + "/apps/shop/worker");
            fixture.browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("app-title")));
            fixture.browser.waitForVaadin();
            assertThat(fixture.browser.text(By.id("app-title"))).isEqualTo("shop/worker");
            fixture.browser.click(By.xpath("//vaadin-tab[normalize-space(.)='Logs']"));
            fixture.browser.wait.until(d -> fixture.browser.text(By.id("logs-output")).contains("worker up"));
            fixture.browser.click(By.xpath("//vaadin-tab[normalize-space(.)='Secrets']"));
            assertThat(fixture.browser.deepText(fixture.browser.driver.findElement(By.id("secrets-grid")))).contains("No secrets.");
            fixture.browser.screenshot("worker");
        } catch (AssertionError | RuntimeException e) {
            fixture.browser.screenshot("failure");
            throw e;
        }
    }
}
