package dev.berth.uitests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The path a new user takes, not one a fixture prepares: a team and a repository created through
 * the API, one push of two apps without secrets (one with two replicas on the only host), then
 * the dashboard: pick the team in Apps, open each app from the list and by its address.
 * Screenshots land in target/screenshots/new-user.
 */
class NewUserBrowserTest {
    private static final Duration DEPLOY = Duration.ofSeconds(60);
    private static Cluster cluster;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        cluster = Cluster.start(Duration.ofSeconds(10));
        browser = Browser.start("new-user");
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.close();
        if (cluster != null) cluster.close();
    }

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
            cluster.startAgent("solo", "22200-22299");
            cluster.api("POST", "/api/v1/teams", "{\"name\":\"shop\"}", 201);
            cluster.api("POST", "/api/v1/teams/shop/repositories", "{\"name\":\"site\"}", 201);
            Cluster.revisionOf(cluster.push("shop", "site", definition(cluster.image), "Two apps"));

            browser.driver.get(cluster.baseUrl + "/login");
            browser.login("admin", Cluster.ADMIN_PASSWORD);
            browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("teams-grid")));
            browser.navigate("Apps", "apps-grid");
            browser.click(By.id("apps-team"));
            browser.pickItem("vaadin-combo-box-item", "shop");
            browser.waitForRow("apps-grid", 0, "storefront");
            browser.waitForRow("apps-grid", 0, "worker");
            new WebDriverWait(browser.driver, DEPLOY).until(d -> browser.gridRows("apps-grid").stream()
                    .anyMatch(r -> r.get(0).equals("storefront") && r.get(2).contains("2/2")));
            browser.screenshot("apps-of-a-new-team");

            // From the list, as a person clicks it.
            browser.click(By.xpath("//vaadin-grid-cell-content[normalize-space(.)='storefront']"));
            browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("app-title")));
            browser.waitForVaadin();
            assertThat(browser.text(By.id("app-title"))).isEqualTo("shop/storefront");
            assertThat(browser.driver.getCurrentUrl()).endsWith("/apps/shop/storefront");
            assertThat(browser.text(By.id("app-revision"))).contains("2/2 healthy");
            browser.click(By.xpath("//vaadin-tab[normalize-space(.)='Replicas']"));
            browser.wait.until(d -> browser.gridRows("replicas-grid").stream().filter(r -> r.get(3).equals("healthy")).count() == 2);
            browser.screenshot("storefront");

            // By its address, as a bookmark or a link from a colleague opens it.
            browser.driver.get(cluster.baseUrl + "/apps/shop/worker");
            browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("app-title")));
            browser.waitForVaadin();
            assertThat(browser.text(By.id("app-title"))).isEqualTo("shop/worker");
            browser.click(By.xpath("//vaadin-tab[normalize-space(.)='Logs']"));
            browser.wait.until(d -> browser.text(By.id("logs-output")).contains("worker up"));
            browser.click(By.xpath("//vaadin-tab[normalize-space(.)='Secrets']"));
            assertThat(browser.deepText(browser.driver.findElement(By.id("secrets-grid")))).contains("No secrets.");
            browser.screenshot("worker");
        } catch (AssertionError | RuntimeException e) {
            browser.screenshot("failure");
            throw e;
        }
    }
}
