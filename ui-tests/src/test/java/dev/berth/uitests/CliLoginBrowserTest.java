package dev.berth.uitests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * {@code berth login URL --no-browser} as a person does it: the real CLI in its own JVM prints the
 * page and the code; Chromium, not yet signed in, opens that page, signs in, lands back on it with
 * the code and approves; the CLI exits 0 and {@code berth apps} works with the token it saved. A
 * second sign-in, from the now signed-in browser, is denied and the CLI exits 3.
 * Screenshots land in target/screenshots/cli-login.
 */
class CliLoginBrowserTest {
    private static final String USER = "terminal-user";
    private static final String PASSWORD = "terminal-user-password";
    private static final Pattern PROMPT = Pattern.compile("Open (http://\\S+/cli-login\\?code=(\\S+)) and confirm the code (\\S+)");
    @RegisterExtension
    static final ClusterAndBrowser fixture = new ClusterAndBrowser("cli-login");

    private Path config;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void home() throws IOException {
        config = Files.createTempDirectory("berth-cli-login-");
    }

    @AfterEach
    void stopLeftovers() {
        for (var p : started) p.destroyForcibly();
    }

    /** The CLI as its launcher runs it, in a JVM of its own; stderr is read line by line into {@code err}. */
    private Process berth(LinkedBlockingQueue<String> err, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "dev.berth.cli.BerthCli"));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command);
        builder.environment().put("XDG_CONFIG_HOME", config.toString());
        builder.environment().remove("BROWSER");
        builder.environment().remove("DISPLAY");
        var process = builder.redirectOutput(config.resolve("stdout-" + started.size()).toFile()).start();
        started.add(process);
        Thread.ofVirtual().start(() -> {
            try (var lines = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) err.add(line);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        return process;
    }

    /** The page the CLI printed, checked to carry the code it shows. */
    private static String page(LinkedBlockingQueue<String> err) throws InterruptedException {
        String line = err.poll(2, TimeUnit.MINUTES);
        assertThat(line).as("berth login's first line on stderr").isNotNull();
        var m = PROMPT.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        assertThat(m.group(2)).isEqualTo(m.group(3));
        return m.group(1);
    }

    private int exit(Process process) throws InterruptedException {
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the CLI ends").isTrue();
        return process.exitValue();
    }

    @Test
    void aPersonNotYetSignedInApprovesTheTerminalsCodeThenDeniesASecond() throws Exception {
        var browser = fixture.browser;
        try {
            fixture.cluster.api("POST", "/api/v1/users", "{\"username\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\"}", 201);
            fixture.cluster.api("POST", "/api/v1/teams/" + Cluster.TEAM + "/members",
                    "{\"username\":\"" + USER + "\",\"role\":\"VIEWER\"}", 201);

            var err = new LinkedBlockingQueue<String>();
            var login = berth(err, "login", fixture.cluster.baseUrl, "--no-browser");
            String page = page(err);

            // Not signed in: the sign-in page first, then back on the code's page.
            browser.driver.get(page);
            browser.login(USER, PASSWORD);
            browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("cli-login-approve")));
            browser.waitForVaadin();
            // Spring Security marks the resumed request with &continue; the code is what matters.
            assertThat(browser.driver.getCurrentUrl()).startsWith(page);
            assertThat(browser.text(By.id("cli-login-request"))).contains("What asks: berth CLI").contains("From address: 127.0.0.1");
            browser.screenshot("approval-page");
            browser.click(By.id("cli-login-approve"));
            assertThat(browser.text(By.id("cli-login-outcome"))).contains("You can close this window and return to the terminal");
            browser.screenshot("approved");

            assertThat(exit(login)).as(String.join("\n", err)).isZero();
            var apps = berth(new LinkedBlockingQueue<>(), "apps", "--team", Cluster.TEAM);
            assertThat(exit(apps)).isZero();
            assertThat(Files.readString(config.resolve("stdout-1"))).contains("no apps");

            // Signed in now: a second sign-in goes straight to the page, and is denied.
            var err2 = new LinkedBlockingQueue<String>();
            var second = berth(err2, "login", fixture.cluster.baseUrl, "--no-browser");
            browser.driver.get(page(err2));
            browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("cli-login-deny")));
            browser.click(By.id("cli-login-deny"));
            assertThat(browser.text(By.id("cli-login-outcome"))).contains("Denied");
            assertThat(exit(second)).isEqualTo(3);
            assertThat(String.join("\n", err2)).contains("berth: not signed in: the sign-in was denied");

            // A code that is no request's says so.
            browser.driver.get(fixture.cluster.baseUrl + "/cli-login?code=ZZZZ-ZZZZ");
            assertThat(browser.text(By.id("cli-login-error"))).contains("no command-line sign-in has the code ZZZZ-ZZZZ");
            browser.screenshot("wrong-code");
        } catch (AssertionError | RuntimeException e) {
            browser.screenshot("failure");
            throw e;
        }
    }
}
