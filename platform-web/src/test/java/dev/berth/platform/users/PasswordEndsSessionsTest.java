package dev.berth.platform.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A password change or reset ends the user's dashboard sessions (signed in through the real login
 * form, as a browser does) and revokes their API tokens.
 */
class PasswordEndsSessionsTest extends PlatformTest {
    private static final Pattern CSRF_META = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");
    private static final String FIRST = "first-password-1";
    private static final String SECOND = "second-password-2";

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    /** A cookie-keeping client signed in to the dashboard. */
    private record Browser(HttpClient http) {
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private Browser signIn(String user, String password) throws Exception {
        var http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
        var page = http.send(HttpRequest.newBuilder(URI.create(url("/login"))).build(), HttpResponse.BodyHandlers.ofString());
        var m = CSRF_META.matcher(page.body());
        assertThat(m.find()).isTrue();
        var form = "username=" + enc(user) + "&password=" + enc(password) + "&_csrf=" + enc(m.group(1));
        var response = http.send(HttpRequest.newBuilder(URI.create(url("/login")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location").orElseThrow()).doesNotContain("error");
        var browser = new Browser(http);
        assertThat(signedIn(browser)).as("signed in").isTrue();
        return browser;
    }

    /** Whether the session still opens a dashboard page instead of being sent to sign in. */
    private boolean signedIn(Browser b) throws Exception {
        var response = b.http().send(HttpRequest.newBuilder(URI.create(url("/teams"))).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 302) {
            assertThat(response.headers().firstValue("Location").orElseThrow()).endsWith("/login");
            return false;
        }
        assertThat(response.statusCode()).isEqualTo(200);
        return true;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private Api root() {
        var api = Api.at(port);
        return api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
    }

    private record Minted(String id, Api api) {
    }

    private Minted token(String user, String password) {
        var api = Api.at(port);
        var r = api.basic(user, password).post("/api/v1/tokens", Map.of("name", "t"));
        assertThat(r.status()).isEqualTo(201);
        return new Minted(r.json().get("id").asString(), api.bearer(r.json().get("token").asString()));
    }

    @Test
    void anAdminResetEndsEverySessionAndRevokesEveryTokenOfTheUser() throws Exception {
        var root = root();
        assertThat(root.post("/api/v1/users", Map.of("username", "reset-victim", "password", FIRST)).status()).isEqualTo(201);
        var laptop = signIn("reset-victim", FIRST);
        var phone = signIn("reset-victim", FIRST);
        var token = token("reset-victim", FIRST);
        assertThat(token.api().get("/api/v1/teams").status()).isEqualTo(200);

        assertThat(root.put("/api/v1/users/reset-victim/password", Map.of("newPassword", SECOND)).status()).isEqualTo(204);

        assertThat(signedIn(laptop)).as("the laptop's session").isFalse();
        assertThat(signedIn(phone)).as("the phone's session").isFalse();
        var refused = token.api().get("/api/v1/teams");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("detail").asString()).contains("revoked");
        var revocations = root.get("/api/v1/audit?action=token.revoke&q=reset-victim").body();
        assertThat(revocations).contains("token:" + token.id()).contains("password reset");
        assertThat(root.get("/api/v1/audit?action=user.password.reset&q=reset-victim").body())
                .contains("\"tokensRevoked\":\"1\"");

        assertThat(signIn("reset-victim", SECOND)).as("the new password signs in").isNotNull();
    }

    @Test
    void changingYourOwnPasswordKeepsTheCredentialInUseAndEndsTheOthers() throws Exception {
        assertThat(root().post("/api/v1/users", Map.of("username", "change-own", "password", FIRST)).status()).isEqualTo(201);
        var session = signIn("change-own", FIRST);
        var inUse = token("change-own", FIRST);
        var other = token("change-own", FIRST);

        assertThat(inUse.api().put("/api/v1/users/me/password", Map.of("currentPassword", FIRST, "newPassword", SECOND))
                .status()).isEqualTo(204);

        assertThat(inUse.api().get("/api/v1/teams").status()).as("the token that changed it").isEqualTo(200);
        assertThat(other.api().get("/api/v1/teams").status()).as("another token").isEqualTo(401);
        assertThat(signedIn(session)).as("a dashboard session").isFalse();
    }

    @Test
    void aResetMadeOnAnotherInstanceEndsTheSessionHereToo() throws Exception {
        assertThat(root().post("/api/v1/users", Map.of("username", "reset-elsewhere", "password", FIRST)).status())
                .isEqualTo(201);
        var session = signIn("reset-elsewhere", FIRST);
        var token = token("reset-elsewhere", FIRST);
        // All another instance shares with this one is the database: that is all a reset there
        // changes. The version alone also voids a token not marked revoked (one minted by a
        // credential that was in flight while the password changed).
        jdbc.sql("UPDATE users SET credentials_version = credentials_version + 1 WHERE username = 'reset-elsewhere'").update();
        assertThat(signedIn(session)).isFalse();
        var refused = token.api().get("/api/v1/teams");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("detail").asString()).contains("password changed");
    }
}
