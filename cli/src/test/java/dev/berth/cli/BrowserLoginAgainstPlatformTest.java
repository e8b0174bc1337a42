package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.access.Caller;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.clilogin.CliLoginService;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.users.UserAccounts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code berth login URL} through the browser, run in-process against the whole platform: the CLI
 * prints the page and the code and polls; the test, as the person at the browser, approves or
 * denies through the service the approval page calls (ui-tests does it in Chromium).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserLoginAgainstPlatformTest extends PlatformTest {
    private static final String USER = "cli-browser-user";
    private static final String PASSWORD = "cli-browser-password";
    private static final String TEAM = "cli-browser-team";
    private static final Pattern PROMPT = Pattern.compile("Open (http://\\S+/cli-login\\?code=(\\S+)) and confirm the code (\\S+)");
    private static final RequestOrigin BROWSER = new RequestOrigin("127.0.0.1", "test");

    @LocalServerPort
    int port;
    @Autowired
    CliLoginService logins;
    @Autowired
    CallerResolver callers;
    @Autowired
    UserAccounts users;
    @Autowired
    JdbcClient jdbc;
    @TempDir
    Path config;

    private String platform;

    @BeforeAll
    void seed() {
        platform = "http://127.0.0.1:" + port;
        var api = Api.at(port);
        var root = api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
        assertThat(root.post("/api/v1/users", Map.of("username", USER, "password", PASSWORD)).status()).isEqualTo(201);
        assertThat(root.post("/api/v1/teams", Map.of("name", TEAM)).status()).isEqualTo(201);
        assertThat(root.post("/api/v1/teams/" + TEAM + "/members", Map.of("username", USER, "role", "VIEWER")).status()).isEqualTo(201);
    }

    private Caller person() {
        long id = users.find(USER).orElseThrow().id();
        return callers.ofUser(id, users.credentialsVersion(id).orElseThrow()).orElseThrow();
    }

    /** One run of berth in the background: its stderr line by line, its stdout, and how it ended. */
    private final class Running {
        final BlockingQueue<String> err = new LinkedBlockingQueue<>();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final AtomicReference<ExitCode> code = new AtomicReference<>();
        final Thread thread;

        Running(String... args) {
            var terminal = new Terminal(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(new TerminalLines(err), true, StandardCharsets.UTF_8),
                    Map.of("XDG_CONFIG_HOME", config.toString(), "PATH", "/nonexistent"));
            thread = Thread.ofVirtual().start(() -> code.set(new BerthCli(terminal).run(List.of(args))));
        }

        /** The page and the code it printed: {url, code in the URL, code shown}. */
        String[] prompt() throws InterruptedException {
            String line = err.poll(2, TimeUnit.MINUTES);
            assertThat(line).as("berth login's first line").isNotNull();
            var m = PROMPT.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            return new String[] {m.group(1), m.group(2), m.group(3)};
        }

        ExitCode end() throws InterruptedException {
            assertThat(thread.join(java.time.Duration.ofMinutes(2))).as("berth login ends").isTrue();
            return code.get();
        }

        String rest() {
            var lines = new java.util.ArrayList<String>();
            err.drainTo(lines);
            return String.join("\n", lines);
        }
    }

    private Path credentials() {
        return config.resolve("berth").resolve("credentials.json");
    }

    @Test
    void anApprovedCodeSignsTheCliInAndItsTokenWorks() throws Exception {
        var login = new Running("login", platform, "--no-browser");
        var prompt = login.prompt();
        assertThat(prompt[1]).isEqualTo(prompt[2]).matches("[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}");
        assertThat(logins.find(person(), prompt[1], BROWSER).client()).isEqualTo("berth CLI");
        logins.approve(person(), prompt[2], BROWSER);

        assertThat(login.end()).as(login.rest()).isEqualTo(ExitCode.OK);
        assertThat(login.out.toString(StandardCharsets.UTF_8)).contains("signed in to " + platform + " (teams: " + TEAM + ")");
        assertThat(Files.readString(credentials())).contains(platform).contains("berth_");

        var apps = new Running("apps");
        assertThat(apps.end()).as(apps.rest()).isEqualTo(ExitCode.OK);
        assertThat(apps.out.toString(StandardCharsets.UTF_8)).contains("no apps");
    }

    @Test
    void aDeniedCodeSavesNothingAndExitsNotAllowed() throws Exception {
        Files.deleteIfExists(credentials());
        var login = new Running("login", platform, "--no-browser");
        logins.deny(person(), login.prompt()[2], BROWSER);
        assertThat(login.end()).isEqualTo(ExitCode.NOT_ALLOWED);
        assertThat(login.rest()).contains("berth: not signed in: the sign-in was denied");
        assertThat(credentials()).doesNotExist();
    }

    @Test
    void aCodeNobodyApprovesExpires() throws Exception {
        Files.deleteIfExists(credentials());
        var login = new Running("login", platform, "--no-browser");
        String code = login.prompt()[2];
        // As if its ten minutes had passed: the shared platform's clock stays where the other tests need it.
        assertThat(jdbc.sql("UPDATE cli_login_requests SET expires_at = now() - interval '1 second' WHERE user_code = ?")
                .param(code.replace("-", "")).update()).isEqualTo(1);
        assertThat(login.end()).isEqualTo(ExitCode.NOT_ALLOWED);
        assertThat(login.rest()).contains("berth: not signed in: nobody approved the sign-in before it expired");
        assertThat(credentials()).doesNotExist();
    }

    /** Ctrl-C, as the terminal sends it (SIGINT to the CLI's JVM): the CLI says nothing was saved, and saved nothing. */
    @Test
    void stoppingTheWaitingCliSavesNothingAndSaysSo() throws Exception {
        Files.deleteIfExists(credentials());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.berth.cli.BerthCli",
                "login", platform, "--no-browser");
        builder.environment().put("XDG_CONFIG_HOME", config.toString());
        var process = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (var err = new java.io.BufferedReader(new java.io.InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            assertThat(err.readLine()).contains("/cli-login?code=");
            assertThat(err.readLine()).contains("Ctrl-C stops");
            assertThat(new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor()).isZero();
            assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
            assertThat(process.exitValue()).as("the status of a process ended by SIGINT").isEqualTo(130);
            assertThat(err.lines().toList()).contains("berth: sign-in stopped; nothing was saved");
        } finally {
            process.destroyForcibly();
        }
        assertThat(credentials()).doesNotExist();
    }
}
