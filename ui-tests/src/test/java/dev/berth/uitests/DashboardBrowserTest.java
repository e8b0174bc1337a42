package dev.berth.uitests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.BerthApplication;
import dev.berth.platform.database.EmbeddedDataTemplate;
import dev.berth.testfixtures.GitCli;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real platform (embedded PostgreSQL, real security chain, production Vaadin bundle) driven
 * through headless Chromium the way people would use it: the admin signs in after a typo, creates
 * a team and two users, makes one a member and changes their role, issues a token, then finds all
 * of it in the audit log, exports it and verifies the hash chain. A user in no team and a team
 * admin then sign in to see what is, and is not, theirs. Screenshots of each step land in
 * target/screenshots.
 */
class DashboardBrowserTest {
    private static final String ADMIN_PASSWORD = "browser-test-admin-pw";

    private static Path dataDir;
    private static Browser browser;
    private static ConfigurableApplicationContext platform;
    private static ChromeDriver driver;
    private static WebDriverWait wait;
    private static String baseUrl;

    @BeforeAll
    static void start() throws Exception {
        // Chromium starts while the platform does; neither needs the other yet.
        var browserReady = SideBySide.begin(() -> Browser.start("dashboard"));
        dataDir = Files.createTempDirectory("berth-ui-test-");
        try {
            startPlatform();
        } catch (Exception | Error e) {
            SideBySide.closeWhenDone(browserReady);
            throw e;
        }
        browser = SideBySide.result(browserReady);
        driver = browser.driver;
        wait = browser.wait;
    }

    private static void startPlatform() throws IOException {
        // Given as arguments, not builder defaults: application.yml outranks defaults and would pick
        // port 8080 and ./berth-data.
        EmbeddedDataTemplate.copyTo(dataDir.resolve("postgres"));
        platform = new SpringApplicationBuilder(BerthApplication.class)
                .run("--server.port=0",
                        "--server.address=127.0.0.1",
                        Cluster.STOP_AT_ONCE,
                        "--berth.database.embedded.data-dir=" + dataDir.resolve("postgres"),
                        "--berth.admin.password=" + ADMIN_PASSWORD,
                        "--berth.admin.password-file=" + dataDir.resolve("pw"),
                        "--berth.git.repositories-dir=" + dataDir.resolve("git"),
                        "--berth.git.insecure-registries=127.0.0.1:*",
                        "--berth.network.allowed-private-targets=127.0.0.0/8");
        baseUrl = "http://127.0.0.1:" + platform.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) browser.close();
        if (platform != null) platform.close();
        deleteTree(dataDir);
    }

    @Test
    void adminRunsTeamsAndUsersAndReadsItAllInTheAuditLog() throws Exception {
        try {
            signInAfterATypo();
            createTeam("payments");
            createUsers("dana", "erin");
            addMember("payments", "dana", "DEPLOYER");
            changeRole("dana", "ADMIN");
            createToken("ci deploys");
            findEventsInAuditLog();
            verifyChain();
            pushARevisionAndSeeIt("payments", "shop");
            createAJoinToken();
            signOut();
            userWithoutTeamSeesOnlyWhatIsTheirs("erin");
            changesTheirPassword("erin");
            signOut();
            teamAdminReadsOnlyTheirTeamsEvents("dana", "payments");
            signOutsFromTheDashboardAreAudited();
        } catch (AssertionError | RuntimeException e) {
            screenshot("failure");
            throw e;
        }
    }

    private void signInAfterATypo() throws IOException {
        driver.get(baseUrl + "/");
        wait.until(ExpectedConditions.urlContains("/login"));
        login("admin", "not-the-password");
        var form = wait.until(d -> {
            var f = d.findElement(By.tagName("vaadin-login-form"));
            return Boolean.TRUE.equals(js("return arguments[0].error", f)) ? f : null;
        });
        assertThat(deepText(form)).contains("Sign-in failed").contains("Wrong username or password");
        screenshot("login");

        login("admin", ADMIN_PASSWORD);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("teams-grid")));
        waitForVaadin();
        assertThat(driver.getCurrentUrl()).doesNotContain("login");
        assertThat(deepText(driver.findElement(By.id("signed-in-user")))).isEqualTo("admin");
        // A new platform has no teams: the grid says how to make the first one.
        assertThat(deepText(driver.findElement(By.id("teams-grid"))))
                .contains("No teams yet. Create the first one with New team.");
        screenshot("teams-empty");
    }

    private void login(String username, String password) {
        browser.login(username, password);
    }

    private void createTeam(String name) throws IOException {
        click(By.id("new-team"));
        type(By.cssSelector("#team-name input"), name);
        click(By.id("create-team"));
        waitForRow("teams-grid", 0, name);
        assertThat(gridRows("teams-grid")).containsExactly(List.of(name, "ADMIN", "1"));
        screenshot("teams");
    }

    private void createUsers(String... usernames) throws IOException {
        navigate("Users", "users-grid");
        for (String username : usernames) {
            click(By.id("new-user"));
            type(By.cssSelector("#user-username input"), username);
            type(By.cssSelector("#user-password input"), password(username));
            click(By.id("create-user"));
            waitForRow("users-grid", 0, username);
        }
        assertThat(gridRows("users-grid")).extracting(row -> row.get(0)).containsExactly("admin", "dana", "erin");
        screenshot("users");
    }

    private static String password(String username) {
        return username + "-password-123";
    }

    private void addMember(String team, String username, String role) throws IOException {
        navigate("Teams", "teams-grid");
        waitForRow("teams-grid", 0, team);
        gridCell("teams-grid", 0, team).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("members-grid")));
        waitForRow("members-grid", 0, "admin");

        var combo = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#add-member-username input")));
        combo.sendKeys(username);
        pickItem("vaadin-combo-box-item", username);
        choose(By.id("add-member-role"), role);
        wait.until(d -> d.findElement(By.id("add-member")).getDomAttribute("disabled") == null);
        click(By.id("add-member"));
        waitForRow("members-grid", 0, username);
        assertThat(gridRows("members-grid")).extracting(row -> row.get(0)).containsExactly("admin", username);
        assertThat(selectedLabel(By.id("role-" + username))).isEqualTo(role);
        assertThat(gridRows("teams-grid")).containsExactly(List.of(team, "ADMIN", "2"));
        screenshot("members");
    }

    private void changeRole(String username, String role) throws IOException {
        choose(By.id("role-" + username), role);
        waitForVaadin();
        wait.until(d -> deepText(d.findElement(By.tagName("body"))).contains(username + " is now " + role));
        assertThat(selectedLabel(By.id("role-" + username))).isEqualTo(role);
        screenshot("members-role-changed");
    }

    private void createToken(String name) throws IOException {
        navigate("Tokens", "tokens-grid");
        assertThat(deepText(driver.findElement(By.id("tokens-grid"))))
                .contains("You have no API tokens yet. Create one with New token.");
        click(By.id("new-token"));
        type(By.cssSelector("#token-name input"), name);
        click(By.id("create-token"));
        var secret = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#issued-token input")));
        assertThat(secret.getDomProperty("value")).startsWith("berth_");
        assertThat(deepText(driver.findElement(By.id("issued-token-note")))).contains("will not be shown again");
        screenshot("token-issued");
        click(By.id("issued-token-close"));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("issued-token")));
        waitForRow("tokens-grid", 0, name);
        screenshot("tokens");
    }

    /**
     * Creates a hosted repository and pushes a berth.yaml to it with the git CLI, then registers
     * an external one (a local bare repository) and syncs it; both revisions show in the dashboard.
     */
    private void pushARevisionAndSeeIt(String team, String repository) throws Exception {
        navigate("Repositories", "repositories-grid");
        assertThat(deepText(driver.findElement(By.id("repositories-grid"))))
                .contains("No repositories yet. Create one with New repository");
        screenshot("repositories-empty");
        click(By.id("new-repository"));
        type(By.cssSelector("#repository-name input"), repository);
        click(By.id("create-repository"));
        waitForRow("repositories-grid", 0, repository);
        // The new repository is selected: its panel shows how to push to it.
        var cloneUrl = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#clone-url input")));
        wait.until(d -> String.valueOf(cloneUrl.getDomProperty("value")).equals(baseUrl + "/git/" + team + "/" + repository + ".git"));
        assertThat(text(By.id("first-push"))).contains("git push origin HEAD:main");
        assertThat(deepText(driver.findElement(By.id("revisions-grid")))).contains("No revisions yet");
        screenshot("repository-empty");

        dev.berth.registry.RegistryPrerequisites.require();
        Path work = Files.createTempDirectory("berth-ui-push-");
        try (var registry = dev.berth.registry.TestRegistry.start()) {
            var built = dev.berth.registry.TestImages.writeLayout(work.resolve("layout"), "1",
                    dev.berth.registry.TestImages.busybox().withCmd("/bin/sh"));
            dev.berth.registry.TestImages.push(built.layout(), "1", registry.host(), "acme/shop:1", null);
            String image = registry.host() + "/acme/shop:1";

            Path checkout = Files.createDirectories(work.resolve("checkout"));
            Files.writeString(checkout.resolve("berth.yaml"), "apiVersion: berth/v1\napps:\n  shop:\n    image: " + image + "\n");
            String remote = baseUrl.replace("http://", "http://admin:" + ADMIN_PASSWORD + "@") + "/git/" + team + "/"
                    + repository + ".git";
            git(work, checkout, "init", "-q");
            git(work, checkout, "add", "berth.yaml");
            git(work, checkout, "commit", "-q", "-m", "Deploy shop");
            String pushed = git(work, checkout, "push", remote, "HEAD:refs/heads/main");
            assertThat(pushed).contains("remote: Berth: revision");
            String link = pushed.lines().filter(l -> l.contains("/repositories?team=")).findFirst().orElseThrow()
                    .replace("remote:", "").strip();

            // The link git printed opens the repository with its new revision.
            assertThat(link).isEqualTo(baseUrl + "/repositories?team=" + team + "&repository=" + repository);
            driver.get(link);
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("revisions-grid")));
            waitForRow("revisions-grid", 2, "Deploy shop");
            var row = gridRows("revisions-grid").getFirst();
            assertThat(row.get(4)).isEqualTo("admin");
            assertThat(row.get(6)).startsWith("shop → sha256:");
            screenshot("repository-revision");
            // One app's history: the apps these revisions define are offered.
            var app = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#revisions-app input")));
            app.sendKeys("shop");
            pickItem("vaadin-combo-box-item", "shop");
            waitForRow("revisions-grid", 2, "Deploy shop");
            trustAKey();

            registerAndSyncExternal(work, image);
        } finally {
            deleteTree(work);
        }
    }

    /** Pastes a public key into the repository's trusted keys; the requirement can then be switched on. */
    private void trustAKey() throws IOException {
        var key = dev.berth.gitsync.signing.TestKeys.generate("Ada Lovelace <ada@example.com>");
        click(By.id("signing"));
        var area = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#trusted-key-armored textarea")));
        // Through the value property: typing a whole key block key by key is slow and changes nothing.
        js("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
                + " arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", area, key.armoredPublic());
        js("arguments[0].scrollIntoView({block: 'center'});", driver.findElement(By.id("trust-key")));
        click(By.id("trust-key"));
        waitForRow("trusted-keys", 1, "Ada Lovelace <ada@example.com>");
        js("arguments[0].scrollIntoView({block: 'center'});", driver.findElement(By.id("require-signed")));
        click(By.id("require-signed"));
        wait.until(d -> text(By.id("signing")).contains("Signed commits: required · 1 trusted key"));
        screenshot("signing");
        click(By.id("require-signed"));
        wait.until(d -> text(By.id("signing")).contains("Signed commits: not required"));
    }

    /** A platform admin sees the hosts (none yet) and creates a join token, shown once with its command. */
    private void createAJoinToken() throws IOException {
        navigate("Hosts", "hosts-grid");
        assertThat(deepText(driver.findElement(By.id("hosts-grid")))).contains("No hosts yet. Create a join token");
        click(By.id("new-join-token"));
        var token = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#join-token input")));
        String secret = String.valueOf(token.getDomProperty("value"));
        assertThat(secret).startsWith("berth-join_");
        assertThat(text(By.id("join-command"))).isEqualTo("berth-agent daemon --platform " + baseUrl + " --join-token " + secret);
        assertThat(text(By.id("join-token-note"))).contains("works once").contains("will not be shown again");
        screenshot("join-token");
        click(By.id("join-token-close"));
    }

    private void registerAndSyncExternal(Path work, String image) throws Exception {
        Path bare = work.resolve("worker.git");
        git(work, work, "init", "-q", "--bare", bare.toString());
        Path checkout = Files.createDirectories(work.resolve("worker"));
        Files.writeString(checkout.resolve("berth.yaml"), "apiVersion: berth/v1\napps:\n  worker:\n    image: " + image + "\n");
        git(work, checkout, "init", "-q");
        git(work, checkout, "add", "berth.yaml");
        git(work, checkout, "commit", "-q", "-m", "Deploy worker");
        git(work, checkout, "push", "-q", bare.toString(), "HEAD:refs/heads/main");

        click(By.id("register-external-open"));
        type(By.cssSelector("#external-name input"), "worker");
        type(By.cssSelector("#external-url input"), bare.toString());
        click(By.id("register-external"));
        var secret = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#webhook-secret input")));
        assertThat(String.valueOf(secret.getDomProperty("value"))).hasSize(64);
        assertThat(text(By.id("webhook-note"))).contains("will not be shown again");
        screenshot("external-webhook");
        click(By.id("webhook-close"));
        waitForRow("repositories-grid", 0, "worker");
        click(By.id("sync-now"));
        waitForRow("revisions-grid", 2, "Deploy worker");
        wait.until(d -> text(By.id("sync-state")).equals("succeeded"));
        screenshot("external-synced");
    }

    private static String git(Path home, Path dir, String... args) throws Exception {
        return GitCli.run(home, dir, args);
    }

    private void findEventsInAuditLog() throws IOException {
        navigate("Audit", "audit-grid");
        waitForRow("audit-grid", 3, "token.create"); // newest first
        screenshot("audit");

        filterByAction("team.create");
        assertThat(gridRows("audit-grid")).singleElement()
                .satisfies(row -> assertThat(row.subList(2, 7)).containsExactly("admin", "team.create", "team:payments",
                        "payments", "success"));
        // The exports hold exactly the filtered set.
        assertThat(download("export-csv")).hasSize(2).first().asString().startsWith("seq,time,actorType,actor,action");
        assertThat(download("export-csv").get(1)).contains(",team.create,team:payments,payments,");
        assertThat(download("export-jsonl")).singleElement().asString()
                .contains("\"action\":\"team.create\"").contains("\"target\":\"team:payments\"");

        filterByAction("team.member.add");
        assertThat(gridRows("audit-grid")).singleElement()
                .satisfies(row -> assertThat(row.subList(2, 7)).containsExactly("admin", "team.member.add", "user:dana",
                        "payments", "success"));

        filterByAction("team.member.role");
        assertThat(gridRows("audit-grid")).singleElement()
                .satisfies(row -> assertThat(row.get(4)).isEqualTo("user:dana"));

        filterByAction("login.failure");
        assertThat(gridRows("audit-grid")).singleElement()
                .satisfies(row -> assertThat(row.subList(2, 7)).containsExactly("anonymous", "login.failure", "user:admin",
                        "", "failure"));
        screenshot("audit-filtered");

        gridCell("audit-grid", 3, "login.failure").click();
        var detail = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("audit-detail")));
        assertThat(text(By.id("detail-action"))).isEqualTo("login.failure");
        assertThat(text(By.id("detail-target"))).isEqualTo("user:admin");
        assertThat(text(By.id("detail-source"))).isEqualTo("127.0.0.1");
        assertThat(text(By.id("detail-user-agent"))).contains("Chrome");
        assertThat(text(By.id("detail-details"))).contains("reason = bad credentials");
        assertThat(text(By.id("detail-prev-hash"))).matches("[0-9a-f]{64}");
        assertThat(text(By.id("detail-hash"))).matches("[0-9a-f]{64}");
        assertThat(detail.isDisplayed()).isTrue();
        screenshot("audit-detail");
        click(By.id("audit-detail-close"));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("audit-detail")));

        // A filter nothing matches says so instead of showing an empty box.
        filterByAction("no.such.action");
        assertThat(gridRows("audit-grid")).isEmpty();
        assertThat(deepText(driver.findElement(By.id("audit-grid")))).contains("No audit events match these filters.");
        screenshot("audit-empty");
    }

    /** Types into the action filter and waits until the grid shows only that action, or nothing. */
    private void filterByAction(String action) {
        var field = driver.findElement(By.cssSelector("#audit-action input"));
        field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        field.sendKeys(action, Keys.ENTER);
        waitForVaadin();
        wait.until(d -> {
            var rows = gridRows("audit-grid");
            return action.startsWith("no.") ? rows.isEmpty()
                    : !rows.isEmpty() && rows.stream().allMatch(r -> r.get(3).equals(action));
        });
    }

    private void verifyChain() throws IOException {
        click(By.id("audit-clear"));
        waitForRow("audit-grid", 3, "token.create");
        click(By.id("verify-chain"));
        var result = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("verify-result")));
        wait.until(d -> deepText(result).startsWith("Chain intact"));
        assertThat(deepText(result)).matches("Chain intact: \\d+ events checked");
        // The check is itself audited, and the grid shows it on top.
        wait.until(d -> gridRows("audit-grid").getFirst().get(3).equals("audit.verify"));
        screenshot("verify");
    }

    /** The Sign out button goes through Spring's logout handlers, so it lands in the log too. */
    private void signOutsFromTheDashboardAreAudited() throws IOException {
        var http = HttpClient.newHttpClient();
        String basic = Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes());
        try {
            var minted = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/tokens"))
                    .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"browser-test\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(minted.statusCode()).as(minted.body()).isEqualTo(201);
            String token = minted.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
            var logouts = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/audit?action=logout"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(logouts.body()).contains("\"target\":\"user:admin\"").contains("\"target\":\"user:erin\"");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void signOut() {
        click(By.id("sign-out"));
        wait.until(ExpectedConditions.urlContains("/login"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("vaadin-login-form input[name=username]")));
    }

    /** A user in no team: told how to get into one, no admin controls, no audit log, no user list. */
    private void userWithoutTeamSeesOnlyWhatIsTheirs(String username) throws IOException {
        login(username, password(username));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("teams-grid")));
        waitForVaadin();
        assertThat(deepText(driver.findElement(By.id("teams-grid"))))
                .contains("You are not in any team yet. Ask a platform admin to add you.");
        assertThat(driver.findElements(By.id("new-team"))).isEmpty();
        assertThat(navLabels()).containsExactly("Apps", "Teams", "Repositories", "Tokens");
        screenshot("no-team-teams");

        driver.get(baseUrl + "/audit");
        var denied = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("audit-denied")));
        assertThat(deepText(denied)).contains("open to platform admins and to admins of a team");
        assertThat(driver.findElements(By.id("audit-grid"))).isEmpty();
        screenshot("no-team-audit");

        // Refused the same way as a page that does not exist, inside the normal frame.
        driver.get(baseUrl + "/users");
        var notFound = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("not-found")));
        assertThat(deepText(notFound)).isEqualTo("There is no page at '/users' that you can open.");
        assertThat(driver.findElements(By.id("users-grid"))).isEmpty();
        screenshot("no-team-users");
    }

    /** A wrong current password is refused; the right one changes it, keeps this session, and only the new one signs in. */
    private void changesTheirPassword(String username) throws IOException {
        driver.get(baseUrl + "/teams");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("teams-grid")));
        click(By.id("change-password"));
        type(By.cssSelector("#current-password input"), "not-my-password");
        type(By.cssSelector("#new-password input"), "a-brand-new-password");
        type(By.cssSelector("#repeat-password input"), "a-brand-new-password");
        click(By.id("save-password"));
        wait.until(d -> deepText(d.findElement(By.tagName("body"))).contains("the current password is wrong"));
        screenshot("password-wrong");
        type(By.cssSelector("#current-password input"), password(username));
        click(By.id("save-password"));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("save-password")));
        // The session the password was changed in stays signed in (the others end).
        driver.get(baseUrl + "/teams");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("teams-grid")));
        signOut();

        login(username, password(username));
        wait.until(d -> Boolean.TRUE.equals(js("return arguments[0].error", d.findElement(By.tagName("vaadin-login-form")))));
        login(username, "a-brand-new-password");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("teams-grid")));
        waitForVaadin();
    }

    /** Fetches an export link with the page's session, as clicking it would, and returns its lines. */
    private List<String> download(String anchorId) {
        String href = driver.findElement(By.id(anchorId)).getDomAttribute("href");
        String body = (String) ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0], {credentials: 'same-origin'})
                    .then(r => r.text().then(t => done(r.status + '\\n' + t)))
                    .catch(e => done('failed ' + e));""", href);
        assertThat(body).startsWith("200\n");
        return body.substring(4).lines().toList();
    }

    /** A team admin sees their team's menu (Notifications too) and the audit log narrowed to their team, without the platform-wide verify. */
    private void teamAdminReadsOnlyTheirTeamsEvents(String username, String team) throws IOException {
        login(username, password(username));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("teams-grid")));
        waitForRow("teams-grid", 0, team);
        assertThat(gridRows("teams-grid")).containsExactly(List.of(team, "ADMIN", "2"));
        assertThat(navLabels()).containsExactly("Apps", "Teams", "Domains", "Repositories", "Tokens", "Notifications", "Audit");

        navigate("Audit", "audit-grid");
        waitForRow("audit-grid", 3, "team.member.role");
        assertThat(gridRows("audit-grid")).extracting(row -> row.get(3))
                .containsExactly("deployment.create", "repository.sync", "repository.register", "repository.signing",
                        "repository.signing", "repository.key.add", "deployment.create", "repository.push", "repository.create",
                        "team.member.role", "team.member.add", "team.create");
        assertThat(gridRows("audit-grid")).allSatisfy(row -> assertThat(row.get(5)).isEqualTo(team));
        assertThat(driver.findElements(By.id("verify-chain"))).isEmpty();

        // Another team's events are refused with the service's sentence, and the grid stays empty.
        type(By.cssSelector("#audit-team input"), "elsewhere");
        wait.until(d -> gridRows("audit-grid").isEmpty());
        wait.until(d -> deepText(d.findElement(By.tagName("body"))).contains("team 'elsewhere' not found"));
        screenshot("team-admin-audit");
    }

    @SuppressWarnings("unchecked")
    private List<String> navLabels() {
        return (List<String>) js("return [...document.querySelectorAll('vaadin-side-nav-item')]"
                + ".map(i => i.textContent.trim());");
    }

    // --- helpers: Vaadin renders asynchronously and partly in shadow DOM ---

    private void navigate(String label, String gridId) {
        browser.navigate(label, gridId);
    }

    private void click(By locator) {
        browser.click(locator);
    }

    private void type(By input, String text) {
        browser.type(input, text);
    }

    private void choose(By select, String label) {
        browser.choose(select, label);
    }

    private void pickItem(String tag, String label) {
        browser.pickItem(tag, label);
    }

    private String selectedLabel(By select) {
        return browser.selectedLabel(select);
    }

    private void waitForRow(String gridId, int column, String text) {
        browser.waitForRow(gridId, column, text);
    }

    private List<List<String>> gridRows(String gridId) {
        return browser.gridRows(gridId);
    }

    private WebElement gridCell(String gridId, int column, String text) {
        return browser.gridCell(gridId, column, text);
    }

    private String text(By locator) {
        return browser.text(locator);
    }

    private static String deepText(WebElement element) {
        return browser.deepText(element);
    }

    private static void waitForVaadin() {
        browser.waitForVaadin();
    }

    private static Object js(String script, Object... args) {
        return browser.js(script, args);
    }

    private static void screenshot(String name) throws IOException {
        browser.screenshot(name);
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
