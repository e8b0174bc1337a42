package dev.berth.platform.sso;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.identityprovider.TestIdentityProvider;
import dev.berth.platform.Api;
import dev.berth.platform.BerthApplication;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.TestDatabase;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Single sign-on against a real OpenID provider (Spring Authorization Server, started here on
 * loopback): the authorization code flow driven with a real HTTP client, redirect by redirect,
 * posting the provider's own login form. The platform runs with local passwords off, the
 * break-glass admin excepted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = BerthApplication.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@dev.berth.platform.OwnSecurityHolder
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SingleSignOnTest {
    private static final Pattern CSRF_INPUT = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
    private static final String PASSWORD = "provider-password";
    private static final TestIdentityProvider PROVIDER = TestIdentityProvider.start();
    private static TestDatabase.Target database;

    @LocalServerPort
    int port;
    private Api admin;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws java.io.IOException {
        if (database == null) database = TestDatabase.fresh("sso");
        SsoPlatform.register(registry, database, "sso", PROVIDER.issuer, TestIdentityProvider.CLIENT_ID,
                TestIdentityProvider.CLIENT_SECRET);
        registry.add("berth.sso.display-name", () -> "Test IdP");
        registry.add("berth.sso.local-passwords", () -> "false");
    }

    @BeforeAll
    void setUp() {
        // The provider's rules forbid "localhost" in a redirect URI (RFC 8252): the platform is reached by its address.
        PROVIDER.registerClient(base() + "/login/oauth2/code/sso");
        var api = Api.at(port);
        admin = api.bearer(api.tokenFor("admin", PlatformTest.ADMIN_PASSWORD));
    }

    @AfterAll
    void stopProvider() {
        PROVIDER.close();
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    /** One browser's sign-in: every request it made, and where it ended. */
    private record SignIn(List<URI> visited, HttpResponse<String> last, HttpClient browser) {
        URI authorizationRequest() {
            return visited.stream().filter(u -> u.getPath().equals("/oauth2/authorize")).findFirst().orElseThrow();
        }

        Map<String, String> query(URI uri) {
            var params = new java.util.HashMap<String, String>();
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            return params;
        }
    }

    /** Clicks "Sign in with ..." in a fresh browser, posts the provider's login form and follows every redirect. */
    private SignIn signIn(String username, String password) throws Exception {
        var browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
        var visited = new ArrayList<URI>();
        var response = follow(browser, visited, URI.create(base() + "/oauth2/authorization/sso"));
        assertThat(response.uri().getPath()).as("the provider's login page, after %s", visited).isEqualTo("/login");
        var csrf = CSRF_INPUT.matcher(response.body());
        assertThat(csrf.find()).as("the provider's login form: %s", response.body()).isTrue();
        String form = "username=" + enc(username) + "&password=" + enc(password) + "&_csrf=" + enc(csrf.group(1));
        var posted = browser.send(HttpRequest.newBuilder(response.uri()).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        visited.add(response.uri());
        assertThat(posted.statusCode()).isEqualTo(302);
        var last = follow(browser, visited, response.uri().resolve(posted.headers().firstValue("Location").orElseThrow()));
        return new SignIn(visited, last, browser);
    }

    private static HttpResponse<String> follow(HttpClient browser, List<URI> visited, URI start) throws Exception {
        URI next = start;
        for (int hops = 0; hops < 10; hops++) {
            visited.add(next);
            var response = browser.send(HttpRequest.newBuilder(next).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 302) return response;
            next = next.resolve(response.headers().firstValue("Location").orElseThrow());
        }
        throw new AssertionError("more than 10 redirects: " + visited);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private Map<String, String> members(String team) {
        var roles = new java.util.TreeMap<String, String>();
        var response = admin.get("/api/v1/teams/" + team + "/members");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        for (var m : response.json()) roles.put(m.get("username").asString(), m.get("role").asString());
        return roles;
    }

    private List<String> usernames() {
        var names = new ArrayList<String>();
        for (var u : admin.get("/api/v1/users").json()) names.add(u.get("username").asString());
        return names;
    }

    private long rule(String group, String team, String role) {
        var created = admin.post("/api/v1/sso/group-rules", Map.of("group", group, "team", team, "role", role));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    private void team(String name) {
        assertThat(admin.post("/api/v1/teams", Map.of("name", name)).status()).isEqualTo(201);
    }

    @Test
    void aFirstSignInCreatesTheUserWithTheTeamsItsGroupsGiveUsingPkce() throws Exception {
        team("payments");
        rule("payments-devs", "payments", "DEPLOYER");
        PROVIDER.addUser("alice", PASSWORD, Set.of("payments-devs", "unrelated"));

        var signIn = signIn("alice", PASSWORD);

        var authorize = signIn.query(signIn.authorizationRequest());
        assertThat(authorize).containsEntry("code_challenge_method", "S256").containsEntry("response_type", "code")
                .containsKey("code_challenge").containsKey("state").containsKey("nonce");
        assertThat(authorize.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
        assertThat(authorize.get("redirect_uri")).isEqualTo(base() + "/login/oauth2/code/sso");
        assertThat(signIn.visited()).anyMatch(u -> u.getPath().equals("/login/oauth2/code/sso"));
        assertThat(signIn.last().uri().toString()).as("landed on the dashboard").startsWith(base() + "/")
                .doesNotContain("error");
        assertThat(usernames()).contains("alice");
        assertThat(members("payments")).containsEntry("alice", "DEPLOYER");

        // The session is a dashboard session of alice's: a signed-in page opens without a detour to the login page.
        var teams = signIn.browser().send(HttpRequest.newBuilder(URI.create(base() + "/teams")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(teams.statusCode()).isEqualTo(200);

        var audit = admin.get("/api/v1/audit?team=payments").body();
        assertThat(audit).contains("team.member.add").contains("sso group rules at sign-in").contains("payments-devs");
    }

    @Test
    void rulesAreAppliedAgainAtEverySignInAndLeaveManualMembershipsAlone() throws Exception {
        team("web");
        team("ops");
        long viewerRule = rule("web-devs", "web", "VIEWER");
        PROVIDER.addUser("bob", PASSWORD, Set.of("web-devs"));
        signIn("bob", PASSWORD);
        assertThat(members("web")).containsEntry("bob", "VIEWER");

        // A person adds bob to ops by hand; the admin raises the web rule to DEPLOYER.
        assertThat(admin.post("/api/v1/teams/ops/members", Map.of("username", "bob", "role", "DEPLOYER")).status()).isEqualTo(201);
        assertThat(admin.delete("/api/v1/sso/group-rules/" + viewerRule).status()).isEqualTo(204);
        rule("web-devs", "web", "DEPLOYER");
        assertThat(members("web")).as("rules apply at the next sign-in, not before").containsEntry("bob", "VIEWER");
        signIn("bob", PASSWORD);
        assertThat(members("web")).containsEntry("bob", "DEPLOYER");
        assertThat(members("ops")).containsEntry("bob", "DEPLOYER");

        // bob leaves the group at the provider: the rule's membership goes, the manual one stays.
        PROVIDER.setGroups("bob", Set.of());
        signIn("bob", PASSWORD);
        assertThat(members("web")).doesNotContainKey("bob");
        assertThat(members("ops")).containsEntry("bob", "DEPLOYER");
        assertThat(usernames().stream().filter(u -> u.startsWith("bob")).toList()).as("one account, linked by subject")
                .containsExactly("bob");
    }

    @Test
    void aSignOutIsAuditedAsAPasswordUsersIs() throws Exception {
        PROVIDER.addUser("erin", PASSWORD, Set.of());
        var signIn = signIn("erin", PASSWORD);
        var browser = signIn.browser();
        var page = browser.send(HttpRequest.newBuilder(URI.create(base() + "/teams")).build(), HttpResponse.BodyHandlers.ofString());
        var csrf = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"").matcher(page.body());
        assertThat(csrf.find()).as("the dashboard page's CSRF token: %s", page.body()).isTrue();
        assertThat(admin.get("/api/v1/audit?action=logout").body()).doesNotContain("\"target\":\"user:erin\"");

        var out = browser.send(HttpRequest.newBuilder(URI.create(base() + "/logout"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + enc(csrf.group(1)))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(out.statusCode()).isEqualTo(302);
        assertThat(out.headers().firstValue("Location").orElseThrow()).endsWith("/login");
        assertThat(admin.get("/api/v1/audit?action=logout").body()).contains("\"target\":\"user:erin\"");
        var after = browser.send(HttpRequest.newBuilder(URI.create(base() + "/teams")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(after.statusCode()).as("signed out: back to the sign-in page").isEqualTo(302);
    }

    @Test
    void aNameTakenByAnotherAccountGetsTheNextFreeOne() throws Exception {
        // A local account named carol exists; the provider's carol is another person.
        assertThat(admin.post("/api/v1/users", Map.of("username", "carol", "password", "a-long-enough-password")).status()).isEqualTo(201);
        PROVIDER.addUser("carol", PASSWORD, Set.of());
        signIn("carol", PASSWORD);
        assertThat(usernames()).contains("carol", "carol-2");
    }

    @Test
    void localPasswordsAreRefusedExceptTheBreakGlassAdminsAndTokensStillWork() throws Exception {
        assertThat(admin.post("/api/v1/users", Map.of("username", "dave", "password", "a-long-enough-password")).status()).isEqualTo(201);
        var api = Api.at(port);
        var refused = api.basic("dave", "a-long-enough-password").post("/api/v1/tokens", Map.of("name", "cli"));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body()).contains("Password sign-in is turned off").contains("Sign in with Test IdP");
        assertThat(api.basic("admin", PlatformTest.ADMIN_PASSWORD).post("/api/v1/tokens", Map.of("name", "glass")).status())
                .as("the break-glass admin").isEqualTo(201);
        assertThat(admin.get("/api/v1/teams").status()).as("an API token").isEqualTo(200);

        // The dashboard's form: back to the login page with the error.
        var browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
        var page = browser.send(HttpRequest.newBuilder(URI.create(base() + "/login")).build(), HttpResponse.BodyHandlers.ofString());
        var csrf = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"").matcher(page.body());
        assertThat(csrf.find()).isTrue();
        var posted = browser.send(HttpRequest.newBuilder(URI.create(base() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=dave&password=a-long-enough-password&_csrf=" + enc(csrf.group(1))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(302);
        assertThat(posted.headers().firstValue("Location").orElseThrow()).contains("/login?error");
    }
}
