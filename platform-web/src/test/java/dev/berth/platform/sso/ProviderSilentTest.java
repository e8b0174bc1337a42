package dev.berth.platform.sso;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.platform.BerthApplication;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.TestDatabase;
import java.io.IOException;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A provider that answers discovery and then goes quiet: its token endpoint (or, once tokens come,
 * its key set) accepts the request and never answers. The sign-in gives up after the answer
 * timeout and comes back to the sign-in page saying so, instead of holding the browser's request
 * forever. The provider is a tiny HTTP server on loopback; the test plays the browser, taking the
 * state from the platform's redirect to the provider and coming back with a made-up code.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = BerthApplication.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@dev.berth.platform.OwnSecurityHolder
@ExtendWith(OutputCaptureExtension.class)
class ProviderSilentTest {
    private static final QuietProvider PROVIDER = QuietProvider.start();
    private static TestDatabase.Target database;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        if (database == null) database = TestDatabase.fresh("sso-silent");
        SsoPlatform.register(registry, database, "sso-silent", PROVIDER.issuer, "berth", "secret");
    }

    @AfterAll
    static void stopProvider() {
        PROVIDER.close();
    }

    // Guards only: without answer timeouts the callback waits forever, and the guard ends the test.
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aTokenEndpointThatNeverAnswersEndsTheSignInOnTheSignInPage(CapturedOutput output) throws Exception {
        PROVIDER.tokensAnswer = false;
        assertThat(callbackAfterSignIn()).endsWith("/login?error");
        assertThat(output.getOut()).contains("single sign-on failed: Single sign-on is unavailable: the identity provider at "
                + PROVIDER.issuer + " did not answer within 10 s");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aKeySetThatNeverComesEndsTheSignInOnTheSignInPage(CapturedOutput output) throws Exception {
        PROVIDER.tokensAnswer = true;
        assertThat(callbackAfterSignIn()).endsWith("/login?error");
        assertThat(PROVIDER.keysAsked).as("the ID token's verification asked for the keys").isTrue();
        assertThat(output.getOut()).contains("single sign-on failed: Single sign-on is unavailable: the identity provider at "
                + PROVIDER.issuer + " did not answer within 10 s");
    }

    /** Starts a sign-in, then comes back to the callback as the provider would have sent the browser; where the callback sends it. */
    private String callbackAfterSignIn() throws Exception {
        var browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
        var start = browser.send(HttpRequest.newBuilder(URI.create(base() + "/oauth2/authorization/sso")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(start.statusCode()).isEqualTo(302);
        var authorize = URI.create(start.headers().firstValue("Location").orElseThrow());
        assertThat(authorize.toString()).startsWith(PROVIDER.issuer + "/authorize");
        String state = null;
        for (String pair : authorize.getRawQuery().split("&")) {
            if (pair.startsWith("state=")) state = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
        }
        var callback = browser.send(HttpRequest.newBuilder(URI.create(base() + "/login/oauth2/code/sso?code=made-up&state="
                + java.net.URLEncoder.encode(state, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(302);
        return callback.headers().firstValue("Location").orElseThrow();
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Discovery answers; the token endpoint holds every request (or answers with an ID token, when
     * {@link #tokensAnswer}); the key set endpoint holds every request. Held requests are let go at close.
     */
    private static final class QuietProvider implements AutoCloseable {
        final HttpServer server;
        final String issuer;
        final CountDownLatch closed = new CountDownLatch(1);
        volatile boolean tokensAnswer;
        volatile boolean keysAsked;

        private QuietProvider(HttpServer server) {
            this.server = server;
            this.issuer = "http://127.0.0.1:" + server.getAddress().getPort();
        }

        static QuietProvider start() {
            try {
                var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
                var provider = new QuietProvider(server);
                server.createContext("/.well-known/openid-configuration", e -> provider.json(e, """
                        {"issuer":"%1$s","authorization_endpoint":"%1$s/authorize","token_endpoint":"%1$s/token",
                         "jwks_uri":"%1$s/keys","userinfo_endpoint":"%1$s/userinfo","subject_types_supported":["public"],
                         "response_types_supported":["code"],"id_token_signing_alg_values_supported":["RS256"]}
                        """.formatted(provider.issuer)));
                server.createContext("/token", e -> {
                    if (provider.tokensAnswer) {
                        provider.json(e, """
                                {"access_token":"at","token_type":"Bearer","expires_in":300,"scope":"openid profile email","id_token":"%s"}
                                """.formatted(idToken()));
                    } else {
                        provider.hold(e);
                    }
                });
                server.createContext("/keys", e -> {
                    provider.keysAsked = true;
                    provider.hold(e);
                });
                server.setExecutor(Executors.newCachedThreadPool());
                server.start();
                return provider;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** An RS256 token: its signature is never checked, as the keys to check it with never come. */
        private static String idToken() {
            var url = Base64.getUrlEncoder().withoutPadding();
            return url.encodeToString("{\"alg\":\"RS256\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8)) + "."
                    + url.encodeToString("{\"sub\":\"someone\"}".getBytes(StandardCharsets.UTF_8)) + "."
                    + url.encodeToString(new byte[256]);
        }

        private void json(HttpExchange exchange, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (var out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }

        /** Reads the request and never answers it, until the provider closes. */
        private void hold(HttpExchange exchange) throws IOException {
            exchange.getRequestBody().readAllBytes();
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        }

        @Override
        public void close() {
            closed.countDown();
            server.stop(0);
        }
    }
}
