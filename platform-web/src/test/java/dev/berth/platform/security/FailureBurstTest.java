package dev.berth.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.MutableClock;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.tokens.TokenSecret;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Bursts of unauthenticated failures (wrong tokens, unknown users) from one address complete
 * quickly and write a bounded number of audit rows, with a summary that counts the rest.
 */
class FailureBurstTest extends PlatformTest {
    private static final int BURST = 300;

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MutableClock clock;

    private long rows(String action, String source) {
        return jdbc.sql("SELECT count(*) FROM audit_events WHERE action = ? AND source_address = ?")
                .params(action, source).query(Long.class).single();
    }

    /** The count the summary of this action and source gives, waiting for the background writer. */
    private long suppressed(String action, String source) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            var details = jdbc.sql("SELECT details FROM audit_events WHERE action = ? AND target = ?")
                    .params(action + ".suppressed", "source:" + source).query(String.class).list();
            if (!details.isEmpty()) {
                assertThat(details).hasSize(1);
                return Long.parseLong(Api.JSON.readTree(details.getFirst()).get("count").asString());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no summary of " + action + " from " + source);
    }

    private void burst(String address, java.util.function.IntFunction<HttpRequest> request) throws Exception {
        var client = SourceAddressThrottleTest.from(address);
        var calls = new ArrayList<Callable<Integer>>();
        for (int i = 0; i < BURST; i++) {
            int n = i;
            calls.add(() -> client.send(request.apply(n), HttpResponse.BodyHandlers.discarding()).statusCode());
        }
        long started = System.nanoTime();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var f : pool.invokeAll(calls)) assertThat(f.get()).isEqualTo(401);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("a burst of %d failures", BURST)
                .isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void wrongTokensAndUnknownUsersWriteABoundedNumberOfAuditRowsAndASummaryOfTheRest() throws Exception {
        String tokens = "127.0.0.6";
        String logins = "127.0.0.7";
        burst(tokens, n -> HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/teams"))
                .header("Authorization", "Bearer " + TokenSecret.generate().text()).build());
        burst(logins, n -> HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/tokens"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("burst-nobody-" + n + ":guess").getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")).build());

        long tokenRows = rows("token.rejected", tokens);
        long loginRows = rows("login.failure", logins);
        assertThat(tokenRows).isBetween(1L, (long) FailureAudit.PER_SOURCE);
        assertThat(loginRows + rows("address.locked", logins)).isBetween(1L, (long) FailureAudit.PER_SOURCE);

        // The window ends; the rest is summed up once, by source.
        clock.advance(FailureAudit.WINDOW.plusSeconds(1));
        assertThat(tokenRows + suppressed("token.rejected", tokens)).isEqualTo(BURST);
        assertThat(loginRows + suppressed("login.failure", logins)).isEqualTo(BURST);
    }
}
