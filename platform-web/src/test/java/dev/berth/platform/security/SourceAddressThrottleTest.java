package dev.berth.platform.security;

import dev.berth.platform.lockout.LockoutPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Failed-login throttling by source address, over real HTTP from distinct loopback addresses
 * (127.0.0.0/8 is all local, so a client can bind to 127.0.0.2 and the server sees that address).
 */
class SourceAddressThrottleTest extends PlatformTest {
    private static final String PASSWORD = "throttle-password-1";

    @LocalServerPort
    int port;
    @Autowired
    LockoutPolicy policy;
    @Autowired
    JdbcClient jdbc;

    /** An HTTP client whose connections come from {@code address}. */
    static HttpClient from(String address) {
        try {
            return HttpClient.newBuilder().localAddress(InetAddress.getByName(address)).version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Mints a token with a password, as a script would: 201 when the sign-in succeeded. */
    private int signIn(HttpClient client, String user, String password) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/tokens"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"throttle\"}")).build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Attempts admitted to a password check (and failed) for this account from this address. */
    private long admitted(String username, String address) {
        return jdbc.sql("""
                SELECT count(*) FROM login_failures f JOIN users u ON u.id = f.user_id
                WHERE u.username = ? AND f.source_address = ?""").params(username, address).query(Long.class).single();
    }

    private Api root() {
        var api = Api.at(port);
        return api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
    }

    @Test
    void anAttackerHammeringAdminFromOneAddressDoesNotLockAdminOutElsewhere() throws Exception {
        var attacker = from("127.0.0.2");
        for (int i = 0; i < policy.maxFailures() + 7; i++) {
            assertThat(signIn(attacker, "admin", "guess-" + i)).isEqualTo(401);
        }
        assertThat(signIn(attacker, "admin", ADMIN_PASSWORD)).as("the right password, from the attacker's address")
                .isEqualTo(401);

        assertThat(signIn(from("127.0.0.1"), "admin", ADMIN_PASSWORD)).as("admin from the usual address").isEqualTo(201);
        assertThat(signIn(from("127.0.0.3"), "admin", ADMIN_PASSWORD)).as("admin from a new address").isEqualTo(201);
        assertThat(signIn(attacker, "admin", ADMIN_PASSWORD)).as("admin's success elsewhere does not unlock the attacker")
                .isEqualTo(401);

        var locked = root().get("/api/v1/audit?action=account.locked").body();
        assertThat(locked).contains("\"target\":\"user:admin\"").contains("\"sourceAddress\":\"127.0.0.2\"");
        var refused = root().get("/api/v1/audit?action=login.failure&q=user:admin").body().lines()
                .filter(l -> l.contains("\"sourceAddress\":\"127.0.0.2\"")).toList();
        assertThat(refused).hasSize(policy.maxFailures() + 9);
        assertThat(refused.getLast()).contains("account locked for this address");
    }

    @Test
    void oneAddressGuessingManyAccountsIsThrottledForEveryAccountButOnlyThere() throws Exception {
        assertThat(root().post("/api/v1/users", Map.of("username", "throttle-user", "password", PASSWORD)).status())
                .isEqualTo(201);
        var sprayer = from("127.0.0.4");
        for (int i = 0; i < policy.maxAddressFailures(); i++) {
            assertThat(signIn(sprayer, "nobody-" + i, "guess")).isEqualTo(401);
        }
        assertThat(signIn(sprayer, "throttle-user", PASSWORD)).as("a real account, from the throttled address")
                .isEqualTo(401);
        assertThat(signIn(from("127.0.0.1"), "throttle-user", PASSWORD)).isEqualTo(201);
        var events = root().get("/api/v1/audit?action=address.locked").body();
        assertThat(events).contains("\"target\":\"address:127.0.0.4\"");
    }

    @Test
    void parallelGuessesGetNoMorePasswordChecksThanTheLimit() throws Exception {
        assertThat(root().post("/api/v1/users", Map.of("username", "throttle-burst", "password", PASSWORD)).status())
                .isEqualTo(201);
        var burst = from("127.0.0.5");
        var attempts = new ArrayList<Callable<Integer>>();
        for (int i = 0; i < 40; i++) {
            int n = i;
            attempts.add(() -> signIn(burst, "throttle-burst", "guess-" + n));
        }
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Integer> f : pool.invokeAll(attempts)) assertThat(f.get()).isEqualTo(401);
        }
        // Every admitted attempt is written down before its password is checked, and counts the
        // others already written: so no more than the limit were ever admitted.
        long admitted = admitted("throttle-burst", "127.0.0.5");
        assertThat(admitted).isBetween(1L, (long) policy.maxFailures());
        // Refused attempts are not counted, so what is left of the limit can still be guessed, and no more.
        for (long i = admitted; i < policy.maxFailures(); i++) {
            assertThat(signIn(burst, "throttle-burst", "guess-again-" + i)).isEqualTo(401);
        }
        assertThat(admitted("throttle-burst", "127.0.0.5")).isEqualTo(policy.maxFailures());
        assertThat(signIn(burst, "throttle-burst", PASSWORD)).isEqualTo(401);
        assertThat(signIn(from("127.0.0.1"), "throttle-burst", PASSWORD)).isEqualTo(201);
    }
}
