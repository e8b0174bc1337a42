package dev.berth.uitests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testfixtures.GitCli;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Two platform instances on one database: a dashboard open on the second shows a push made through
 * the first within a second, without a reload (the change travels as a PostgreSQL notice; the
 * views' own tick is 30 s). Screenshots land in target/screenshots/two-instances.
 */
class TwoInstancesBrowserTest {
    private static final Duration WITHIN = Duration.ofSeconds(1);
    @RegisterExtension
    static final ClusterAndBrowser fixture = new ClusterAndBrowser("two-instances");

    @Test
    void aDashboardOnTheSecondInstanceShowsAPushThroughTheFirstWithinASecond() throws Exception {
        var browser = fixture.browser;
        try (var second = fixture.cluster.startSecondPlatform()) {
            try {
                browser.driver.get(second.baseUrl() + "/login");
                browser.signIn("admin", Cluster.ADMIN_PASSWORD);
                browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("teams-grid")));
                browser.navigate("Apps", "apps-grid");
                assertThat(browser.deepText(browser.driver.findElement(By.id("apps-grid")))).contains("No apps yet");
                browser.screenshot("second-instance-no-apps");

                long before = System.nanoTime();
                GitCli.revisionOf(fixture.cluster.push(AppsBrowserTest.definition(fixture.cluster.image, "one"), "Deploy web"));
                long pushed = System.nanoTime();
                long deadline = pushed + Duration.ofSeconds(35).toNanos();
                while (!hasRow("web") && System.nanoTime() < deadline) Thread.sleep(20);
                long shown = System.nanoTime();
                browser.screenshot("second-instance-shows-the-push");
                assertThat(hasRow("web")).as("the push shows on the second instance").isTrue();
                System.out.printf("push through the first instance: git push took %d ms; shown on the second %d ms after it returned%n",
                        (pushed - before) / 1_000_000, (shown - pushed) / 1_000_000);
                assertThat(Duration.ofNanos(shown - pushed)).isLessThan(WITHIN);
            } catch (AssertionError | RuntimeException e) {
                browser.screenshot("failure");
                throw e;
            }
        }
    }

    private boolean hasRow(String name) {
        List<List<String>> rows = fixture.browser.gridRows("apps-grid");
        return rows.stream().anyMatch(r -> !r.isEmpty() && r.getFirst().equals(name));
    }
}
