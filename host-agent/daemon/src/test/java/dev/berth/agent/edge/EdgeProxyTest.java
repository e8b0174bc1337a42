package dev.berth.agent.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.protocol.AcmeChallenge;
import dev.berth.agent.protocol.EdgeAssignment;
import dev.berth.agent.protocol.EdgeCertificate;
import dev.berth.agent.protocol.EdgeRoute;
import dev.berth.agent.protocol.SealedKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edge with the real Caddy on 127.0.0.1 high ports, one Caddy shared by the tests of this class. */
class EdgeProxyTest {
    static final String HOST = "app" + TestNames.DOMAIN;
    static final String OTHER = "other" + TestNames.DOMAIN;
    static final String APP = "team/shop";
    static final String API = "team/api";

    @TempDir
    static Path state;
    static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    static EdgeService edge;
    static TestBackends backends;
    static KeyPair agentKey;
    static volatile KeyPair currentKey;
    static TestCertificate certificate;
    static EdgeSettings settings;
    static HttpClient client;
    static String a;
    static String b;
    static String api;
    static final AtomicInteger GENERATION = new AtomicInteger(1);

    @BeforeAll
    static void startEdge() throws Exception {
        EdgePrerequisites.require();
        agentKey = dev.berth.agent.peer.PeerIdentity.newKeyPair();
        currentKey = agentKey;
        certificate = TestCertificate.make(HOST, state);
        backends = new TestBackends();
        a = backends.http("backend-a");
        b = backends.http("backend-b");
        api = backends.http("backend-api");
        settings = new EdgeSettings(new EdgeSettings.Listen("127.0.0.1", TestBackends.closedPort()),
                new EdgeSettings.Listen("127.0.0.1", TestBackends.closedPort()), "edge.example.test");
        edge = EdgeService.start(settings, state, CaddyProcess.DEFAULT_BINARY, () -> Optional.of(currentKey.getPrivate()),
                new PrintStream(LOG, true, StandardCharsets.UTF_8), () -> { });
        var trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(certificate.trustStore());
        var tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        client = HttpClient.newBuilder().sslContext(tls).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopEdge() throws Exception {
        if (edge != null) edge.close();
        if (backends != null) backends.close();
        if (client != null) client.close();
    }

    static EdgeCertificate sealed(String host) throws Exception {
        return new EdgeCertificate(host, certificate.certificatePem(),
                SealedKey.seal(agentKey.getPublic(), certificate.keyPem().getBytes(StandardCharsets.US_ASCII), host));
    }

    /** Assigns {@code routes} (with the certificate and a challenge) and waits until Caddy serves them. */
    static long serve(List<EdgeRoute> routes) throws Exception {
        return serve(new EdgeAssignment(routes, List.of(sealed(HOST)), List.of(new AcmeChallenge(HOST, "tok-EN_1", "tok-EN_1.thumb"))));
    }

    static long serve(EdgeAssignment assignment) throws Exception {
        long generation = GENERATION.incrementAndGet();
        edge.assigned(generation, assignment);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (edge.status().appliedGeneration() < generation) {
            if (System.nanoTime() > deadline) throw new AssertionError("generation " + generation + " not applied: " + edge.status() + "\n" + LOG);
            Thread.sleep(20);
        }
        return generation;
    }

    static List<EdgeRoute> routes(List<String> shop) {
        return List.of(new EdgeRoute(HOST, "/", APP, shop), new EdgeRoute(HOST, "/api", API, List.of(api)),
                new EdgeRoute(HOST, "/down", APP, List.of()));
    }

    static HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String https(String path) {
        return "https://" + HOST + ":" + settings.https().port() + path;
    }

    @Test
    void roundRobinOverHttp2AndRetriesARefusedUpstream() throws Exception {
        serve(routes(List.of(a, b, "127.0.0.1:" + TestBackends.closedPort())));
        var seen = new HashMap<String, Integer>();
        for (int i = 0; i < 9; i++) {
            var response = get(https("/shop/item"));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            seen.merge(response.body().lines().findFirst().orElseThrow(), 1, Integer::sum);
        }
        // The closed upstream's turns go to the next one: every request succeeds, both backends serve.
        assertThat(seen.keySet()).containsExactlyInAnyOrder("backend-a", "backend-b");
        assertThat(seen.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(3));
    }

    @Test
    void longestPathWinsOnWholeSegmentsAndEmptyRoutesAnswer503() throws Exception {
        serve(routes(List.of(a)));
        assertThat(get(https("/api")).body()).startsWith("backend-api");
        assertThat(get(https("/api/orders?id=1")).body()).startsWith("backend-api").contains("path=/api/orders");
        assertThat(get(https("/apiary")).body()).startsWith("backend-a");
        // Caddy's path matcher ignores case, and so does the attribution of access entries.
        assertThat(get(https("/API/x")).body()).startsWith("backend-api");
        var down = get(https("/down/x"));
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("No replica of " + APP);
    }

    @Test
    void setsForwardedHeadersReplacingWhatClientsSend() throws Exception {
        serve(routes(List.of(a)));
        var response = client.send(HttpRequest.newBuilder(URI.create(https("/x"))).header("X-Forwarded-For", "203.0.113.9")
                .header("X-Forwarded-Host", "evil.example").header("X-Forwarded-Proto", "http").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).contains("xff=127.0.0.1\n", "xfp=https\n", "xfh=" + HOST + ":" + settings.https().port() + "\n");
    }

    @Test
    void httpRedirectsToHttpsAndAnswersAcmeChallenges() throws Exception {
        serve(routes(List.of(a)));
        String http = "http://" + HOST + ":" + settings.http().port();
        var redirect = get(http + "/shop/a%20b?q=1&r=2");
        assertThat(redirect.statusCode()).isEqualTo(308);
        assertThat(redirect.headers().firstValue("Location")).contains(https("/shop/a%20b?q=1&r=2"));
        var challenge = get(http + "/.well-known/acme-challenge/tok-EN_1");
        assertThat(challenge.statusCode()).isEqualTo(200);
        assertThat(challenge.body()).isEqualTo("tok-EN_1.thumb");
        assertThat(challenge.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        // Tokens match exactly: another case or a longer path is no answer.
        assertThat(get(http + "/.well-known/acme-challenge/TOK-EN_1").statusCode()).isEqualTo(308);
        assertThat(get(http + "/.well-known/acme-challenge/tok-EN_1x").statusCode()).isEqualTo(308);
        assertThat(get("http://" + OTHER + ":" + settings.http().port() + "/").statusCode()).isEqualTo(404);
    }

    /** Caddy 2.6.2 ends a handshake for a name it has no certificate for with the alert internal_error. */
    @Test
    void unknownHostsHaveTheirHandshakeRefusedAndUnroutedPathsA404() throws Exception {
        serve(List.of(new EdgeRoute(HOST, "/api", API, List.of(api))));
        assertThat(get(https("/elsewhere")).statusCode()).isEqualTo(404);
        assertThatThrownBy(() -> get("https://" + OTHER + ":" + settings.https().port() + "/")).isInstanceOf(SSLException.class)
                .hasMessageContaining("internal_error");
    }

    @Test
    void anAssignmentWithoutEdgePartServesNothing() throws Exception {
        long generation = GENERATION.incrementAndGet();
        edge.assigned(generation, null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (edge.status().appliedGeneration() < generation && System.nanoTime() < deadline) Thread.sleep(20);
        // The traffic totals are those of the other tests (one edge serves the whole class).
        assertThat(edge.status()).usingRecursiveComparison().ignoringFields("traffic")
                .isEqualTo(new dev.berth.agent.protocol.EdgeStatus("edge.example.test", generation, null));
        assertThat(get("http://" + HOST + ":" + settings.http().port() + "/").statusCode()).isEqualTo(404);
        assertThatThrownBy(() -> get(https("/"))).isInstanceOf(SSLException.class);
    }

    @Test
    void switchingUpstreamsInOneLoadFailsNoRequest() throws Exception {
        serve(routes(List.of(a)));
        var failures = new ArrayList<String>();
        var served = new java.util.concurrent.ConcurrentHashMap<String, Integer>();
        var running = new AtomicBoolean(true);
        var loop = Thread.ofPlatform().start(() -> {
            while (running.get()) {
                try {
                    var r = get(https("/switch"));
                    if (r.statusCode() != 200) failures.add("HTTP " + r.statusCode());
                    else served.merge(r.body().lines().findFirst().orElseThrow(), 1, Integer::sum);
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }
        });
        Thread.sleep(300);
        var inFlight = client.sendAsync(HttpRequest.newBuilder(URI.create(https("/switch/slow"))).build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        serve(routes(List.of(b)));
        // A request in flight finishes on the configuration it started with.
        assertThat(inFlight.get(10, TimeUnit.SECONDS).body()).startsWith("backend-a");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!served.containsKey("backend-b") && System.nanoTime() < deadline) Thread.sleep(20);
        Thread.sleep(300);
        running.set(false);
        loop.join();
        assertThat(failures).isEmpty();
        assertThat(served).containsKeys("backend-a", "backend-b");
    }

    @Test
    void relaysWebSockets() throws Exception {
        serve(List.of(new EdgeRoute(HOST, "/ws", APP, List.of(backends.webSocketEcho()))));
        var answer = new CompletableFuture<String>();
        var socket = client.newWebSocketBuilder().buildAsync(URI.create("wss://" + HOST + ":" + settings.https().port() + "/ws"),
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        answer.complete(data.toString());
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText("hello", true).get(5, TimeUnit.SECONDS);
        assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("echo: hello");
        socket.abort();
    }

    @Test
    void accessLogEntriesGoToTheAppOfTheRoute() throws Exception {
        serve(routes(List.of(a)));
        get(https("/api/logged?secret=1"));
        get(https("/down/logged"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && (edge.traffic().recent(API).stream().noneMatch(e -> e.path().equals("/api/logged"))
                || edge.traffic().recent(APP).stream().noneMatch(e -> e.path().equals("/down/logged")))) {
            Thread.sleep(50);
        }
        var entry = edge.traffic().recent(API).stream().filter(e -> e.path().equals("/api/logged")).findFirst().orElseThrow();
        assertThat(entry.method()).isEqualTo("GET");
        assertThat(entry.status()).isEqualTo(200);
        assertThat(entry.bytes()).isPositive();
        assertThat(entry.app()).isEqualTo(API);
        assertThat(edge.traffic().recent(APP)).anySatisfy(e -> {
            assertThat(e.path()).isEqualTo("/down/logged");
            assertThat(e.status()).isEqualTo(503);
        });
        assertThat(edge.traffic().counts().get(APP).serverErrors()).isPositive();
        // The same requests as text lines in the app's file, shipped as its stream, and as totals for heartbeats.
        String stream = AccessLine.stream(API);
        while (System.nanoTime() < deadline && (!edge.accessLogs().containsKey(stream)
                || !java.nio.file.Files.readString(edge.accessLogs().get(stream)).contains(" GET /api/logged 200 "))) {
            Thread.sleep(50);
        }
        assertThat(java.nio.file.Files.readString(edge.accessLogs().get(stream))).containsPattern(
                "(?m)^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z GET /api/logged 200 \\d+\\.\\dms \\d+B$")
                .doesNotContain("secret");
        assertThat(edge.status().traffic()).anySatisfy(t -> {
            assertThat(t.app()).isEqualTo(APP);
            assertThat(t.serverErrors()).isPositive();
        });
    }

    @Test
    void aKeySealedToAnotherAgentLeavesItsHostUncertifiedAndIsReported() throws Exception {
        var stranger = dev.berth.agent.peer.PeerIdentity.newKeyPair();
        var foreign = new EdgeCertificate(HOST, certificate.certificatePem(),
                SealedKey.seal(stranger.getPublic(), certificate.keyPem().getBytes(StandardCharsets.US_ASCII), HOST));
        serve(new EdgeAssignment(routes(List.of(a)), List.of(foreign), List.of()));
        assertThat(edge.status().error()).contains("certificate for " + HOST).contains("does not open");
        assertThatThrownBy(() -> get(https("/"))).isInstanceOf(SSLException.class)
                .hasMessageContaining("internal_error");
        assertThat(LOG.toString(StandardCharsets.UTF_8)).doesNotContain("PRIVATE KEY").doesNotContain(certificate.keyPem().lines().skip(1).findFirst().orElseThrow());
        serve(routes(List.of(a)));
        assertThat(edge.status().error()).isNull();
        assertThat(get(https("/")).statusCode()).isEqualTo(200);
    }

    @Test
    void aRenewedAgentKeyStillOpensWhatWasSealedToTheOneBefore() throws Exception {
        serve(routes(List.of(a)));
        currentKey = dev.berth.agent.peer.PeerIdentity.newKeyPair();
        try {
            // The same edge part sealed to the old key, then to the new one: both serve the certificate.
            serve(routes(List.of(a)));
            assertThat(edge.status().error()).isNull();
            assertThat(get(https("/")).statusCode()).isEqualTo(200);
            serve(new EdgeAssignment(routes(List.of(a)), List.of(new EdgeCertificate(HOST, certificate.certificatePem(),
                    SealedKey.seal(currentKey.getPublic(), certificate.keyPem().getBytes(StandardCharsets.US_ASCII), HOST))), List.of()));
            assertThat(edge.status().error()).isNull();
            assertThat(get(https("/")).statusCode()).isEqualTo(200);
        } finally {
            currentKey = agentKey;
        }
    }

    @Test
    void theAdminApiIsASocketOnlyRootReachesAndNeverTcp() throws Exception {
        serve(routes(List.of(a)));
        assertThat(Files.getPosixFilePermissions(edge.directory().dir())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(edge.directory().adminSocket()).exists();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), 2019).close()).isInstanceOf(ConnectException.class);
        assertThat(edge.admin().config()).contains("\"persist\":false").contains("\"disable\":true").doesNotContain("2019");
        assertThat(edge.status().address()).isEqualTo("edge.example.test");
    }

    @Test
    void aKilledCaddyIsRestartedAndServesAgain() throws Exception {
        serve(routes(List.of(a)));
        long pid = edge.caddyPid();
        var caddy = ProcessHandle.of(pid).orElseThrow();
        caddy.destroyForcibly();
        caddy.onExit().get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (edge.caddyPid() > 0 && edge.caddyPid() != pid) {
                try {
                    if (get(https("/")).statusCode() == 200) return;
                } catch (Exception e) {
                    // not yet re-applied
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Caddy was not restarted and re-applied: " + edge.status() + "\n" + LOG);
    }
}
