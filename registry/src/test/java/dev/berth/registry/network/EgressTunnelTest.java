package dev.berth.registry.network;

import static dev.berth.registry.network.RebindingResolver.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EgressTunnel} with the JDK's HttpClient: names come from {@link RebindingResolver} (no
 * DNS), the policy allows 127.0.0.2 only, and a {@link ForbiddenListener} on 127.0.0.1 at the same
 * port shows that nothing goes where the name rebinds to.
 */
class EgressTunnelTest {
    private static final InetAddress ALLOWED = address("127.0.0.2");
    private static final InetAddress FORBIDDEN = address("127.0.0.1");
    private static final AddressPolicy POLICY = AddressPolicy.of(List.of("127.0.0.2/32"), Set.of(), "allow-list");
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;
    HttpServer server;
    ForbiddenListener forbidden;
    final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void listen() throws IOException {
        server = HttpServer.create(new InetSocketAddress(ALLOWED, 0), 0);
        server.createContext("/", this::answer);
        server.start();
        forbidden = ForbiddenListener.on(FORBIDDEN, server.getAddress().getPort());
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) server.stop(0);
        if (forbidden != null) forbidden.close();
    }

    private void answer(HttpExchange ex) throws IOException {
        try (ex; InputStream body = ex.getRequestBody()) {
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " Host=" + ex.getRequestHeaders().getFirst("Host")
                    + " body=" + new String(body.readAllBytes(), StandardCharsets.UTF_8));
            byte[] reply = "checked".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, reply.length);
            ex.getResponseBody().write(reply);
        }
    }

    private int port() {
        return server.getAddress().getPort();
    }

    private static HttpClient client(EgressTunnel tunnel, SSLContext tls) {
        var b = HttpClient.newBuilder().proxy(tunnel.proxySelector()).version(HttpClient.Version.HTTP_1_1);
        if (tls != null) b.sslContext(tls);
        return b.build();
    }

    @Test
    void plainHttpGoesToTheCheckedAddressAndARebindIsRefused() throws Exception {
        var dns = new RebindingResolver(Map.of("registry.test", List.of(ALLOWED, FORBIDDEN)));
        try (var tunnel = EgressTunnel.start(new TargetGuard(POLICY, dns)); var http = client(tunnel, null)) {
            URI uri = URI.create("http://registry.test:" + port() + "/v2/x?y=1");
            var r = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("payload")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("checked");
            assertThat(seen).containsExactly("POST /v2/x?y=1 Host=registry.test:" + port() + " body=payload");

            // Resolved again for the next connection: 127.0.0.1 now, refused, and the client gets no answer it could take for the server's.
            assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
            assertThat(tunnel.refusal("registry.test")).hasValue("'registry.test' resolves to 127.0.0.1, a loopback"
                    + " address; Berth does not connect to loopback, private, link-local or its own addresses unless an"
                    + " administrator allows them (allow-list)");
            assertThat(tunnel.refusal("registry.test")).as("told once").isEmpty();
        }
        assertThat(seen).hasSize(1);
        assertThat(forbidden.accepted()).isZero();
    }

    @Test
    void httpsTunnelsToTheCheckedAddressAndVerifiesTheCertificateAgainstTheName() throws Exception {
        KeyStore keys = selfSigned("registry.test");
        var https = HttpsServer.create(new InetSocketAddress(ALLOWED, 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverContext(keys)));
        https.createContext("/", this::answer);
        https.start();
        try (var forbiddenTls = ForbiddenListener.on(FORBIDDEN, https.getAddress().getPort())) {
            int port = https.getAddress().getPort();
            var dns = new RebindingResolver(Map.of("registry.test", List.of(ALLOWED, FORBIDDEN), "other.test", List.of(ALLOWED)));
            try (var tunnel = EgressTunnel.start(new TargetGuard(POLICY, dns)); var http = client(tunnel, trusting(keys))) {
                var r = http.send(HttpRequest.newBuilder(URI.create("https://registry.test:" + port + "/v2/")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.body()).isEqualTo("checked");
                assertThat(r.sslSession()).isPresent();
                assertThat(seen).containsExactly("GET /v2/ Host=registry.test:" + port + " body=");

                // Same address, but the certificate is not for this name: TLS is end to end, so the client refuses it.
                assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("https://other.test:" + port + "/")).build(),
                        HttpResponse.BodyHandlers.ofString()))
                        .isInstanceOf(SSLHandshakeException.class);
            }
            // A fresh client (no pooled connection) looks registry.test up again: 127.0.0.1 now, so no tunnel.
            try (var tunnel = EgressTunnel.start(new TargetGuard(POLICY, dns)); var http = client(tunnel, trusting(keys))) {
                assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("https://registry.test:" + port + "/")).build(),
                        HttpResponse.BodyHandlers.ofString()))
                        .isInstanceOf(IOException.class);
                assertThat(tunnel.refusal("registry.test")).hasValueSatisfying(
                        reason -> assertThat(reason).startsWith("'registry.test' resolves to 127.0.0.1, a loopback address"));
            }
            assertThat(seen).hasSize(1);
            assertThat(forbiddenTls.accepted()).isZero();
        } finally {
            https.stop(0);
        }
    }

    @Test
    void aNameWithAnyForbiddenAddressIsRefusedAsAWhole() throws Exception {
        TargetGuard.Resolver both = host -> new InetAddress[] {ALLOWED, FORBIDDEN};
        try (var tunnel = EgressTunnel.start(new TargetGuard(POLICY, both)); var http = client(tunnel, null)) {
            assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("http://registry.test:" + port() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
            assertThat(tunnel.refusal("registry.test")).isPresent();
        }
        assertThat(seen).isEmpty();
        assertThat(forbidden.accepted()).isZero();
    }

    /** A PKCS#12 store with a self-signed certificate for {@code name}, made by the JDK's keytool. */
    private KeyStore selfSigned(String name) throws Exception {
        Path store = dir.resolve(name + ".p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + name, "-ext", "SAN=dns:" + name, "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    private static SSLContext serverContext(KeyStore keys) throws Exception {
        var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        var ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    private static SSLContext trusting(KeyStore keys) throws Exception {
        var trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", keys.getCertificate("server"));
        var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        var ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
