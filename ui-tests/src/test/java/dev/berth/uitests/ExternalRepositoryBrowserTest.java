package dev.berth.uitests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.BerthApplication;
import dev.berth.platform.database.EmbeddedDataTemplate;
import dev.berth.registry.RegistryPrerequisites;
import dev.berth.registry.TestRegistry;
import dev.berth.testfixtures.GitCli;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A new user's first external repository: a team made through the API, the repository registered
 * in the dashboard's dialog with an hourly poll, its first fetch followed live on its panel, then
 * opened again from the Repositories list; and a remote that cannot be fetched, which says why.
 * The scheduler's poll tick is an hour too, so only the fetch that registration starts can bring
 * the revision. Screenshots land in target/screenshots/external-repository.
 */
class ExternalRepositoryBrowserTest {
    private static final String ADMIN_PASSWORD = "external-browser-admin-pw";
    private static final String TEAM = "acme";

    private static Path work;
    private static TestRegistry registry;
    private static String image;
    private static ConfigurableApplicationContext platform;
    private static String baseUrl;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        RegistryPrerequisites.require();
        work = Files.createTempDirectory("berth-ui-external-");
        // The registry with its image and Chromium get ready while the platform starts: other
        // processes that nothing of the platform's start needs.
        var browserReady = SideBySide.begin(() -> Browser.start("external-repository"));
        var registryReady = SideBySide.begin(() -> Cluster.registryWith(work, "acme/worker:1"));
        try {
            startPlatform();
            registry = SideBySide.result(registryReady);
        } catch (Exception | Error e) {
            // stop() closes the platform; what was begun beside it is closed here.
            SideBySide.closeWhenDone(browserReady);
            if (registry == null) SideBySide.closeWhenDone(registryReady);
            throw e;
        }
        image = registry.host() + "/acme/worker:1";
        browser = SideBySide.result(browserReady);
        baseUrl = "http://127.0.0.1:" + platform.getEnvironment().getProperty("local.server.port");
        String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        String token = tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree(post("/api/v1/tokens", basic, "{\"name\":\"setup\"}")).path("token").asString();
        post("/api/v1/teams", "Bearer " + token, "{\"name\":\"" + TEAM + "\"}");
    }

    private static void startPlatform() throws Exception {
        EmbeddedDataTemplate.copyTo(work.resolve("postgres"));
        platform = new SpringApplicationBuilder(BerthApplication.class)
                .run("--server.port=0",
                        "--server.address=127.0.0.1",
                        Cluster.STOP_AT_ONCE,
                        "--berth.database.embedded.data-dir=" + work.resolve("postgres"),
                        "--berth.admin.password=" + ADMIN_PASSWORD,
                        "--berth.admin.password-file=" + work.resolve("pw"),
                        "--berth.git.repositories-dir=" + work.resolve("git"),
                        "--berth.git.insecure-registries=127.0.0.1:*",
                        // The test registry is on loopback, which only an allow-listed target may be.
                        "--berth.network.allowed-private-targets=127.0.0.0/8",
                        "--berth.git.poll-tick-seconds=3600");
    }

    /** The body of a 201 answer. */
    private static String post(String path, String authorization, String json) throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return response.body();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.close();
        if (platform != null) platform.close();
        if (registry != null) registry.close();
        Browser.deleteTree(work);
    }

    @Test
    void aNewExternalRepositoryIsFetchedAtOnceAndShowsHowItWent() throws Exception {
        try {
            Path bare = remote("worker", "apiVersion: berth/v1\napps:\n  worker:\n    image: " + image + "\n");
            browser.driver.get(baseUrl + "/login");
            browser.signIn("admin", ADMIN_PASSWORD);
            browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("teams-grid")));
            browser.navigate("Repositories", "repositories-grid");

            register("worker", bare);
            // The panel of the new repository follows its first fetch without a reload or a click.
            browser.wait.until(d -> browser.text(By.id("sync-state")).equals("succeeded"));
            browser.waitForRow("revisions-grid", 2, "Deploy worker");
            var revision = browser.gridRows("revisions-grid").getFirst();
            assertThat(revision.get(4)).isEqualTo("sync:registration");
            assertThat(browser.text(By.id("sync-status"))).contains("(registration): commit " + revision.get(1))
                    .contains("revision " + revision.get(0));
            assertThat(String.valueOf(browser.driver.findElement(By.cssSelector("#webhook-url input")).getDomProperty("value")))
                    .as("a live refresh keeps the address the page was opened at").isEqualTo(baseUrl + "/api/v1/repositories/1/webhook");
            browser.screenshot("first-fetch-succeeded");

            // Elsewhere and back: the repository, opened from the list, shows the same.
            browser.navigate("Apps", "apps-grid");
            browser.navigate("Repositories", "repositories-grid");
            browser.waitForRow("repositories-grid", 0, "worker");
            browser.gridCell("repositories-grid", 0, "worker").click();
            browser.waitForVaadin();
            browser.wait.until(d -> browser.text(By.id("sync-state")).equals("succeeded"));
            browser.waitForRow("revisions-grid", 2, "Deploy worker");
            assertThat(String.valueOf(browser.driver.findElement(By.cssSelector("#external-source input")).getDomProperty("value")))
                    .startsWith(bare.toString());
            browser.screenshot("opened-from-the-list");

            // A remote that is no repository: failed, with the reason.
            Path empty = Files.createDirectories(work.resolve("not-a-repository"));
            register("broken", empty);
            browser.wait.until(d -> browser.text(By.id("sync-state")).equals("failed"));
            assertThat(browser.text(By.id("sync-error"))).startsWith("fetching ").contains(empty.toString());
            assertThat(browser.text(By.id("sync-status"))).contains("No revision yet.");
            assertThat(browser.deepText(browser.driver.findElement(By.id("revisions-grid")))).contains("No revisions yet");
            browser.screenshot("first-fetch-failed");
        } catch (AssertionError | RuntimeException e) {
            browser.screenshot("failure");
            throw e;
        }
    }

    /** Registers through the dialog, polled hourly, and closes the webhook secret shown once. */
    private void register(String name, Path url) throws Exception {
        browser.click(By.id("register-external-open"));
        browser.type(By.cssSelector("#external-name input"), name);
        browser.type(By.cssSelector("#external-url input"), url.toString());
        var poll = browser.wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#external-poll input")));
        poll.sendKeys(Keys.chord(Keys.CONTROL, "a"), "3600");
        browser.screenshot("register-" + name);
        browser.click(By.id("register-external"));
        browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#webhook-secret input")));
        browser.click(By.id("webhook-close"));
        browser.waitForRow("repositories-grid", 0, name);
    }

    /** A bare repository on disk whose main branch holds {@code yaml} as berth.yaml. */
    private static Path remote(String name, String yaml) throws Exception {
        Path bare = work.resolve(name + ".git");
        GitCli.run(work, work, "init", "-q", "--bare", bare.toString());
        Path checkout = Files.createDirectories(work.resolve(name));
        Files.writeString(checkout.resolve("berth.yaml"), yaml);
        GitCli.run(work, checkout, "init", "-q");
        GitCli.run(work, checkout, "add", "berth.yaml");
        GitCli.run(work, checkout, "commit", "-q", "-m", "Deploy worker");
        GitCli.run(work, checkout, "push", "-q", bare.toString(), "HEAD:refs/heads/main");
        return bare;
    }
}
