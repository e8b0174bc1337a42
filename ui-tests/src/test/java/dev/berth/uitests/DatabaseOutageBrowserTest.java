package dev.berth.uitests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.database.DatabaseConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A dashboard open while PostgreSQL stops: moving to another page says what happened and that
 * running apps are not affected (the connection indicator while the browser retries, or the outage
 * page), not a stack trace and not a blank page; when the database returns, the dashboard comes
 * back by itself, without anybody reloading it. The platform's
 * embedded server is stopped and started with its own {@code pg_ctl}, on the same data and port.
 * Screenshots land in target/screenshots/database-outage.
 */
class DatabaseOutageBrowserTest {
    private static final Duration NOTICED_WITHIN = Duration.ofSeconds(40);
    private static final Duration BACK_WITHIN = Duration.ofSeconds(40);
    @RegisterExtension
    static final ClusterAndBrowser fixture = new ClusterAndBrowser("database-outage");

    @Test
    void anOpenDashboardSaysTheDatabaseIsAwayAndComesBackByItself() throws Exception {
        var browser = fixture.browser;
        var cluster = fixture.cluster;
        int port = cluster.platform.getBean(DatabaseConfig.EmbeddedServer.class).postgres().getPort();
        Path data = cluster.work.resolve("postgres");
        try {
            browser.driver.get(cluster.baseUrl + "/login");
            browser.signIn("admin", Cluster.ADMIN_PASSWORD);
            browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("teams-grid")));
            browser.navigate("Apps", "apps-grid");
            browser.screenshot("before-the-outage");

            pgCtl(data, "stop", "-m", "fast");
            long stopped = System.nanoTime();
            try {
                var item = browser.wait.until(d -> (WebElement) browser.js(Browser.VISIBLE_WITH_TEXT, "vaadin-side-nav-item", "Teams"));
                item.click();
                // Vaadin's client retries the refused request, its indicator in the platform's words; a page that
                // failed on the database instead shows the outage page. Either says what happened.
                new WebDriverWait(browser.driver, NOTICED_WITHIN).until(d -> saysTheOutage(bodyText(browser)));
                System.out.printf("the outage shown %d ms after the stop%n", (System.nanoTime() - stopped) / 1_000_000);
                browser.screenshot("during-the-outage");
                String shown = bodyText(browser);
                assertThat(shown).as("the page during the outage").containsIgnoringCase("running apps are not affected")
                        .doesNotContain("Exception").doesNotContain("\tat ");
            } finally {
                pgCtl(data, "start", "-w", "-o", "-p " + port + " -c listen_addresses=localhost -c max_connections=300");
            }
            long back = System.nanoTime();
            // Back where it was going (Teams), or where it was (Apps), whichever address the failed navigation left.
            new WebDriverWait(browser.driver, BACK_WITHIN).until(ExpectedConditions.or(
                    ExpectedConditions.presenceOfElementLocated(By.id("teams-grid")),
                    ExpectedConditions.presenceOfElementLocated(By.id("apps-grid"))));
            browser.waitForVaadin();
            System.out.printf("the dashboard back by itself %d ms after the database%n", (System.nanoTime() - back) / 1_000_000);
            browser.screenshot("after-the-outage");
            // The indicator keeps its words, hidden, in its shadow root (and its reconnecting attribute a while):
            // the page's own text is what must not say the database is away.
            assertThat(String.valueOf(browser.js("return document.body.innerText"))).doesNotContain("cannot reach its database");
        } catch (AssertionError | RuntimeException e) {
            browser.screenshot("failure");
            throw e;
        }
    }

    /** The page's text, shadow roots included (the connection indicator renders in one). */
    private static String bodyText(Browser browser) {
        return browser.deepText(browser.driver.findElement(By.tagName("body")));
    }

    private static boolean saysTheOutage(String text) {
        return text.contains("cannot reach its database") || text.contains("its database cannot be reached");
    }

    /** The embedded server's own {@code pg_ctl} (unpacked beside its data directory) on its data directory. */
    private static void pgCtl(Path data, String... args) throws IOException, InterruptedException {
        Path pgCtl;
        try (Stream<Path> dirs = Files.list(data.resolveSibling(data.getFileName() + ".binaries"))) {
            pgCtl = dirs.map(d -> d.resolve("bin/pg_ctl")).filter(Files::isExecutable).findFirst()
                    .orElseThrow(() -> new AssertionError("no pg_ctl beside " + data));
        }
        // PostgreSQL refuses root: as the platform's embedded server does, root runs it in a user namespace, as nobody.
        var command = new ArrayList<String>();
        if ("root".equals(System.getProperty("user.name"))) command.addAll(List.of("unshare", "-U"));
        command.addAll(List.of(pgCtl.toString(), "-D", data.toString()));
        command.addAll(List.of(args));
        var process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolveSibling("pg_ctl.log").toFile())).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("pg_ctl " + String.join(" ", args) + " failed; see " + data.resolveSibling("pg_ctl.log"));
        }
    }
}
