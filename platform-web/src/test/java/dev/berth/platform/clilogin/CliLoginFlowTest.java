package dev.berth.platform.clilogin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.Api;
import dev.berth.platform.MutableClock;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.access.Caller;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.security.FailureAudit;
import dev.berth.platform.tokens.TokenService;
import dev.berth.platform.users.UserAccounts;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The command line's sign-in through the browser, over real HTTP and PostgreSQL: the CLI's two
 * anonymous calls, a person's decision through the service the approval page calls, and the
 * token collected once. Tests that need time to pass drive a service of their own clock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliLoginFlowTest extends PlatformTest {
    private static final String USER = "cli-approver";
    /** Locked out of entering codes by its own test. */
    private static final String GUESSER = "cli-guesser";
    private static final String PASSWORD = "cli-approver-password";
    private static final RequestOrigin BROWSER = new RequestOrigin("127.0.0.1", "test browser");

    @LocalServerPort
    int port;
    @Autowired
    CliLoginService logins;
    @Autowired
    CliLoginStore store;
    @Autowired
    CallerResolver callers;
    @Autowired
    UserAccounts users;
    @Autowired
    TokenService tokens;
    @Autowired
    AuditLog audit;
    @Autowired
    FailureAudit failures;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MutableClock clock;

    private Api root;
    private long userId;

    @BeforeAll
    void seed() {
        var api = Api.at(port);
        root = api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
        assertThat(root.post("/api/v1/users", Map.of("username", USER, "password", PASSWORD)).status()).isEqualTo(201);
        assertThat(root.post("/api/v1/users", Map.of("username", GUESSER, "password", PASSWORD)).status()).isEqualTo(201);
        userId = users.find(USER).orElseThrow().id();
    }

    /** A session of the approving user, as the dashboard resolves it. */
    private Caller person() {
        return session(userId);
    }

    private Caller session(long id) {
        return callers.ofUser(id, users.credentialsVersion(id).orElseThrow()).orElseThrow();
    }

    record Answer(int status, String contentType, JsonNode json) {
        String error() {
            return json.path("error").asString();
        }
    }

    /** A request from {@code address} (any of 127.0.0.0/8), so each test's rate limit is its own. */
    private Answer post(String address, String path, String body) throws Exception {
        var http = HttpClient.newBuilder().localAddress(InetAddress.getByName(address)).build();
        var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body().isEmpty() ? Api.JSON.nullNode() : Api.JSON.readTree(response.body()));
    }

    private Answer start(String address) throws Exception {
        var started = post(address, "/api/v1/cli/login-requests", "{\"client\":\"berth-cli 0.1\",\"host\":\"laptop\"}");
        assertThat(started.status()).as(started.toString()).isEqualTo(201);
        return started;
    }

    private Answer poll(String address, String deviceCode) throws Exception {
        return post(address, "/api/v1/cli/login-requests/token", Api.JSON.writeValueAsString(Map.of("device_code", deviceCode)));
    }

    @Test
    void aRequestAnswersTheDeviceFlowsFieldsAndKeepsOnlyAHashOfTheDeviceCode() throws Exception {
        var started = start("127.0.0.31").json();
        String device = started.get("device_code").asString();
        String user = started.get("user_code").asString();
        assertThat(device).hasSize(43);
        assertThat(user).matches("[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}");
        assertThat(started.get("verification_uri").asString()).isEqualTo("http://127.0.0.1:" + port + "/cli-login");
        assertThat(started.get("verification_uri_complete").asString()).isEqualTo("http://127.0.0.1:" + port + "/cli-login?code=" + user);
        assertThat(started.get("expires_in").asLong()).isEqualTo(600);
        assertThat(started.get("interval").asInt()).isEqualTo(2);

        var row = jdbc.sql("SELECT * FROM cli_login_requests WHERE user_code = ?").param(user.replace("-", "")).query().singleRow();
        assertThat((byte[]) row.get("device_code_hash"))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(device.getBytes(StandardCharsets.US_ASCII)));
        assertThat(row.values().stream().map(String::valueOf)).noneMatch(v -> v.contains(device));
        assertThat(row.get("client")).isEqualTo("berth-cli 0.1");
        assertThat(row.get("host_name")).isEqualTo("laptop");
        assertThat(row.get("source_address")).isEqualTo("127.0.0.31");
    }

    @Test
    void pendingUntilApprovedThenTheTokenIsHandedOutOnce() throws Exception {
        var started = start("127.0.0.32").json();
        String device = started.get("device_code").asString();
        var pending = poll("127.0.0.32", device);
        assertThat(pending.status()).isEqualTo(400);
        assertThat(pending.contentType()).startsWith("application/problem+json");
        assertThat(pending.error()).isEqualTo("authorization_pending");
        assertThat(pending.json().get("interval").asInt()).isEqualTo(2);

        var shown = logins.find(person(), started.get("verification_uri_complete").asString().replaceAll(".*code=", ""), BROWSER);
        assertThat(shown.description()).isEqualTo("berth-cli 0.1 on laptop");
        assertThat(shown.sourceAddress()).isEqualTo("127.0.0.32");
        logins.approve(person(), started.get("user_code").asString().toLowerCase(), BROWSER);

        clock.advance(Duration.ofSeconds(3));
        var collected = poll("127.0.0.32", device);
        assertThat(collected.status()).as(collected.toString()).isEqualTo(200);
        String token = collected.json().get("access_token").asString();
        assertThat(collected.json().get("token_type").asString()).isEqualTo("Bearer");
        assertThat(collected.json().get("name").asString()).isEqualTo("berth CLI on laptop");
        assertThat(collected.json().get("owner").asString()).isEqualTo(USER);
        assertThat(collected.json().get("expires_in").asLong()).isBetween(Duration.ofDays(90).toSeconds() - 60, Duration.ofDays(90).toSeconds());
        assertThat(Api.at(port).bearer(token).get("/api/v1/teams").status()).isEqualTo(200);

        clock.advance(Duration.ofSeconds(3));
        var again = poll("127.0.0.32", device);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.error()).isEqualTo("expired_token");
        assertThat(again.json().get("detail").asString()).contains("already collected");

        assertThat(jdbc.sql("SELECT state FROM cli_login_requests WHERE user_code = ?")
                .param(started.get("user_code").asString().replace("-", "")).query(String.class).single()).isEqualTo("CONSUMED");
        var actions = jdbc.sql("SELECT action FROM audit_events WHERE actor = ? ORDER BY seq").param(USER).query(String.class).list();
        assertThat(actions).containsSubsequence("cli-login.approve", "token.create");
    }

    @Test
    void pollsRacingForAnApprovedRequestGetOneTokenBetweenThem() throws Exception {
        var started = start("127.0.0.43").json();
        logins.approve(person(), started.get("user_code").asString(), BROWSER);
        String device = started.get("device_code").asString();
        var ready = new java.util.concurrent.CountDownLatch(1);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            var polls = new java.util.ArrayList<java.util.concurrent.Future<Answer>>();
            for (int i = 0; i < 8; i++) {
                polls.add(pool.submit(() -> {
                    ready.await();
                    return poll("127.0.0.43", device);
                }));
            }
            ready.countDown();
            var statuses = new java.util.ArrayList<String>();
            for (var p : polls) statuses.add(p.get().status() == 200 ? "token" : p.get().error());
            assertThat(statuses).containsOnlyOnce("token").containsOnly("token", "expired_token");
        }
    }

    @Test
    void aDeniedRequestIsAccessDeniedAndCannotBeApprovedAfter() throws Exception {
        var started = start("127.0.0.33").json();
        logins.deny(person(), started.get("user_code").asString(), BROWSER);
        var denied = poll("127.0.0.33", started.get("device_code").asString());
        assertThat(denied.error()).isEqualTo("access_denied");
        assertThatThrownBy(() -> logins.approve(person(), started.get("user_code").asString(), BROWSER))
                .isInstanceOf(Problem.Conflict.class).hasMessageContaining("already denied");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_events WHERE actor = ? AND action = 'cli-login.deny'").param(USER)
                .query(Long.class).single()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void anUnknownOrMalformedDeviceCodeIsAnInvalidGrant() throws Exception {
        assertThat(poll("127.0.0.34", DeviceCode.generate().text()).error()).isEqualTo("invalid_grant");
        assertThat(poll("127.0.0.34", "not-a-device-code").error()).isEqualTo("invalid_grant");
        var empty = post("127.0.0.34", "/api/v1/cli/login-requests/token", "{}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.error()).isEqualTo("invalid_grant");
    }

    @Test
    void bodiesAreCappedAndCheckedForWhatIsShownToTheApprover() throws Exception {
        var huge = post("127.0.0.35", "/api/v1/cli/login-requests", "{\"client\":\"" + "x".repeat(5000) + "\"}");
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.json().get("detail").asString()).contains("at most 4096 bytes");
        var longClient = post("127.0.0.35", "/api/v1/cli/login-requests", "{\"client\":\"" + "x".repeat(101) + "\"}");
        assertThat(longClient.status()).isEqualTo(400);
        assertThat(longClient.json().get("detail").asString()).contains("'client' must be 1 to 100 printable characters");
        var badHost = post("127.0.0.35", "/api/v1/cli/login-requests", "{\"host\":\"<script>\"}");
        assertThat(badHost.status()).isEqualTo(400);
        assertThat(badHost.json().get("detail").asString()).contains("'host' must be a host name");
        assertThat(post("127.0.0.35", "/api/v1/cli/login-requests", "").status()).as("no body: defaults").isEqualTo(201);
    }

    @Test
    void oneAddressGetsTwentyRequestsInTenMinutes() throws Exception {
        for (int i = 0; i < CliLoginService.MAX_REQUESTS_PER_SOURCE; i++) start("127.0.0.36");
        var refused = post("127.0.0.36", "/api/v1/cli/login-requests", "{}");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("detail").asString()).contains("20 sign-in requests from 127.0.0.36");
        start("127.0.0.37");
        clock.advance(CliLoginService.REQUEST_WINDOW.plusSeconds(1));
        start("127.0.0.36");
    }

    /** A clock a test sets; near real time, so the platform's own clock and this one agree on what is valid. */
    private static final class SetClock extends Clock {
        // Nanoseconds PostgreSQL rounds up when it stores them: an interval must still be measured as it passed.
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusNanos(123_456_789);

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private CliLoginService serviceAt(SetClock at) {
        return new CliLoginService(store, tokens, callers, users, audit, failures, tx, at, CodeGuessLimit.DEFAULT);
    }

    private static String device(CliLoginService.Started started) {
        return started.deviceCode().text();
    }

    @Test
    void pollingBeforeTheIntervalSlowsTheClientDown() {
        var at = new SetClock();
        var service = serviceAt(at);
        var started = service.start("berth", null, new RequestOrigin("127.0.0.38", null));
        assertThat(service.collect(device(started), BROWSER)).isEqualTo(new CliLoginService.Waiting(new PollVerdict.Pending(2)));
        at.now = at.now.plusSeconds(1);
        assertThat(service.collect(device(started), BROWSER)).isEqualTo(new CliLoginService.Waiting(new PollVerdict.SlowDown(7)));
        at.now = at.now.plusSeconds(5);
        assertThat(service.collect(device(started), BROWSER)).as("7 s from now on").isEqualTo(new CliLoginService.Waiting(new PollVerdict.SlowDown(12)));
        at.now = at.now.plusSeconds(12);
        assertThat(service.collect(device(started), BROWSER)).isEqualTo(new CliLoginService.Waiting(new PollVerdict.Pending(12)));
    }

    @Test
    void aRequestNobodyDecidesExpiresAfterTenMinutes() {
        var at = new SetClock();
        var service = serviceAt(at);
        var started = service.start("berth", null, new RequestOrigin("127.0.0.39", null));
        at.now = at.now.plus(CliLoginService.LIFETIME);
        assertThat(service.collect(device(started), BROWSER)).isInstanceOfSatisfying(CliLoginService.Waiting.class,
                w -> assertThat(w.verdict()).isInstanceOf(PollVerdict.Expired.class));
        assertThatThrownBy(() -> service.approve(person(), started.userCode().display(), BROWSER))
                .isInstanceOf(Problem.Conflict.class).hasMessageContaining("expired at").hasMessageContaining("run berth login again");
    }

    @Test
    void tenWrongCodesMakeTheUserWait() {
        long guesser = users.find(GUESSER).orElseThrow().id();
        var at = new SetClock();
        var service = serviceAt(at);
        var started = service.start("berth", null, new RequestOrigin("127.0.0.40", null));
        var wrong = started.userCode().value().equals("ZZZZZZZZ") ? "YYYY-YYYY" : "ZZZZ-ZZZZ";
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> service.find(session(guesser), wrong, BROWSER)).isInstanceOf(Problem.NotFound.class)
                    .hasMessageContaining("no command-line sign-in has the code " + wrong);
        }
        assertThatThrownBy(() -> service.find(session(guesser), started.userCode().display(), BROWSER))
                .as("even the right code waits").isInstanceOf(Problem.TooManyRequests.class).hasMessageContaining("try again after");
        assertThat(jdbc.sql("SELECT count(*) FROM cli_login_code_failures WHERE user_id = ?").param(guesser).query(Long.class).single())
                .isGreaterThanOrEqualTo(10);
        at.now = at.now.plus(CodeGuessLimit.DEFAULT.window());
        var fresh = service.start("berth", null, new RequestOrigin("127.0.0.40", null));
        assertThat(service.find(session(guesser), fresh.userCode().display(), BROWSER).userCode()).isEqualTo(fresh.userCode());
        assertThatThrownBy(() -> service.find(session(guesser), "not a code", BROWSER)).isInstanceOf(Problem.Invalid.class);
    }

    @Test
    void anApiTokenCannotApprove() throws Exception {
        var started = start("127.0.0.41").json();
        var viaToken = new Caller(userId, USER, false, Map.of(), Optional.of(new Caller.TokenScope("x", Optional.empty(), Optional.empty())));
        assertThatThrownBy(() -> logins.approve(viaToken, started.get("user_code").asString(), BROWSER))
                .isInstanceOf(Problem.Forbidden.class).hasMessageContaining("needs a dashboard session");
    }

    @Test
    void aPasswordChangeAfterTheApprovalVoidsIt() throws Exception {
        var started = start("127.0.0.42").json();
        logins.approve(person(), started.get("user_code").asString(), BROWSER);
        assertThat(root.put("/api/v1/users/" + USER + "/password", Map.of("newPassword", PASSWORD + "-2")).status()).isEqualTo(204);
        try {
            var voided = poll("127.0.0.42", started.get("device_code").asString());
            assertThat(voided.error()).isEqualTo("access_denied");
            assertThat(voided.json().get("detail").asString()).contains("changed its password");
        } finally {
            assertThat(root.put("/api/v1/users/" + USER + "/password", Map.of("newPassword", PASSWORD)).status()).isEqualTo(204);
        }
    }

    @Test
    void signingInFromTheCodePageLandsBackOnItWithTheCode() throws Exception {
        var cookies = new java.net.CookieManager();
        var browser = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
        String base = "http://localhost:" + port;
        var page = browser.send(HttpRequest.newBuilder(URI.create(base + "/cli-login?code=ABCD-EFGH")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElseThrow()).endsWith("/login");
        var login = browser.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(), HttpResponse.BodyHandlers.ofString());
        var csrf = java.util.regex.Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"").matcher(login.body());
        assertThat(csrf.find()).isTrue();
        var signedIn = browser.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + USER + "&password=" + PASSWORD + "&_csrf="
                        + java.net.URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location").orElseThrow()).contains("/cli-login?code=ABCD-EFGH");
    }
}
