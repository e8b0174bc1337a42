package dev.berth.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.PlatformTest;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The dashboard's session login over real HTTP: CSRF, session fixation and headers. */
class CsrfAndSessionTest extends PlatformTest {
    private static final Pattern CSRF_META = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");

    @LocalServerPort
    int port;

    private record Browser(HttpClient http, CookieManager cookies) {
        static Browser create() {
            var cookies = new CookieManager();
            return new Browser(HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build(), cookies);
        }

        String session() {
            return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("JSESSIONID"))
                    .map(java.net.HttpCookie::getValue).findFirst().orElse(null);
        }
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private String csrfFromLoginPage(Browser b) throws Exception {
        var page = b.http().send(HttpRequest.newBuilder(URI.create(url("/login"))).build(), HttpResponse.BodyHandlers.ofString());
        var m = CSRF_META.matcher(page.body());
        assertThat(m.find()).as("login page carries a CSRF token").isTrue();
        return m.group(1);
    }

    private HttpResponse<String> postLogin(Browser b, String form) throws Exception {
        return b.http().send(HttpRequest.newBuilder(URI.create(url("/login")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String form(String user, String password, String csrf) {
        var s = "username=" + enc(user) + "&password=" + enc(password);
        return csrf == null ? s : s + "&_csrf=" + enc(csrf);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void aLoginPostWithoutTheCsrfTokenIsRejected() throws Exception {
        var b = Browser.create();
        csrfFromLoginPage(b);
        var response = postLogin(b, form("admin", ADMIN_PASSWORD, null));
        assertThat(response.statusCode()).as(response.headers().map().toString()).isEqualTo(403);
    }

    @Test
    void aLoginWithTheTokenSucceedsAndGetsANewSessionId() throws Exception {
        var b = Browser.create();
        String csrf = csrfFromLoginPage(b);
        String before = b.session();
        var response = postLogin(b, form("admin", ADMIN_PASSWORD, csrf));
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location").orElseThrow()).doesNotContain("error");
        assertThat(b.session()).as("session fixation protection").isNotNull().isNotEqualTo(before);
    }

    /** The App page's charts load uPlot from its webjar: signed-in users get it, nobody else, and no other webjar. */
    @Test
    void theChartScriptIsServedToSignedInUsersOnly() throws Exception {
        String script = "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js";
        var anonymous = Browser.create();
        var refused = anonymous.http().send(HttpRequest.newBuilder(URI.create(url(script))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(302);
        assertThat(refused.headers().firstValue("Location").orElseThrow()).endsWith("/login");

        var b = Browser.create();
        assertThat(postLogin(b, form("admin", ADMIN_PASSWORD, csrfFromLoginPage(b))).statusCode()).isEqualTo(302);
        var served = b.http().send(HttpRequest.newBuilder(URI.create(url(script))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type").orElseThrow()).contains("javascript");
        assertThat(served.body()).contains("uPlot");
        var elsewhere = b.http().send(HttpRequest.newBuilder(URI.create(url("/webjars/other/1.0/x.js"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(elsewhere.statusCode()).isNotEqualTo(200);
    }

    @Test
    void aWrongPasswordGoesBackToTheLoginPageWithAnError() throws Exception {
        var b = Browser.create();
        String csrf = csrfFromLoginPage(b);
        var response = postLogin(b, form("admin", "not-the-password", csrf));
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location").orElseThrow()).contains("/login?error");
    }

    @Test
    void theDashboardSendsSecureHeadersAndRedirectsAnonymousUsersToLogin() throws Exception {
        var b = Browser.create();
        var response = b.http().send(HttpRequest.newBuilder(URI.create(url("/teams"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location").orElseThrow()).endsWith("/login");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(response.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("frame-ancestors 'none'");
        assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
        assertThat(response.headers().firstValue("Set-Cookie").orElse("")).contains("HttpOnly");
    }

    @Test
    void theLoginPageItselfCarriesTheSecureHeaders() throws Exception {
        var page = Browser.create().http().send(HttpRequest.newBuilder(URI.create(url("/login"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().allValues("X-Frame-Options")).containsExactly("DENY");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("frame-ancestors 'none'");
    }
}
