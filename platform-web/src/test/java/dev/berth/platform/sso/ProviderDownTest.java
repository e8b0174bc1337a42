package dev.berth.platform.sso;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.BerthApplication;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.TestDatabase;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A platform whose identity provider is down starts as usual, and a sign-in through it comes back
 * to the sign-in page saying why, instead of an error page. Passwords still work (they are on here).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = BerthApplication.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@dev.berth.platform.OwnSecurityHolder
class ProviderDownTest {
    private static final int NOBODY = closedPort();
    private static TestDatabase.Target database;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        if (database == null) database = TestDatabase.fresh("sso-down");
        SsoPlatform.register(registry, database, "sso-down", "http://127.0.0.1:" + NOBODY, "berth", "secret");
    }

    private static int closedPort() {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void thePlatformStartsAndASignInSaysTheProviderCannotBeReached() throws Exception {
        var api = Api.at(port);
        assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(200);
        var browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
        var start = browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/oauth2/authorization/sso")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(start.statusCode()).isEqualTo(302);
        assertThat(start.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
        var page = browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login?error")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(api.tokenFor("admin", PlatformTest.ADMIN_PASSWORD)).as("passwords still work").startsWith("berth_");
    }
}
