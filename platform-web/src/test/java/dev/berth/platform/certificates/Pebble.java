package dev.berth.platform.certificates;

import dev.berth.platform.RuntimePrerequisite;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Debian's Pebble (the ACME test CA) and pebble-challtestsrv (only its DNS server, which Pebble and
 * the platform's DNS pre-check both ask), on free loopback ports, for one test class. Pebble's TLS
 * certificate is made here for 127.0.0.1; every name resolves to 127.0.0.1 unless a test adds a
 * record. Pebble's random failures (nonce rejection, authorization reuse, validation sleeps) are off.
 * Missing binaries skip the tests, or fail them under BERTH_REQUIRE_RUNTIME=1.
 */
public final class Pebble implements AutoCloseable {
    static final RuntimePrerequisite PEBBLE = new RuntimePrerequisite(Path.of("/usr/bin/pebble"), "apt-get install pebble");
    static final RuntimePrerequisite CHALLTESTSRV = new RuntimePrerequisite(Path.of("/usr/bin/pebble-challtestsrv"),
            "apt-get install pebble");

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final int port;
    private final int managementPort;
    private final int dnsPort;
    private final int dnsManagementPort;
    private final SSLContext trust;

    private Pebble(Path dir, int port, int managementPort, int dnsPort, int dnsManagementPort, SSLContext trust) {
        this.dir = dir;
        this.port = port;
        this.managementPort = managementPort;
        this.dnsPort = dnsPort;
        this.dnsManagementPort = dnsManagementPort;
        this.trust = trust;
    }

    /**
     * Starts both; Pebble validates HTTP-01 challenges on {@code httpPort} of 127.0.0.1, where the
     * test serves them (as an edge will).
     */
    public static Pebble start(int httpPort) throws Exception {
        PEBBLE.require();
        CHALLTESTSRV.require();
        Path dir = Files.createTempDirectory("berth-pebble");
        var keys = Pem.newKeyPair();
        var certificate = TestCertificates.selfSigned(keys, "berth test pebble", List.of("127.0.0.1", "localhost"),
                Instant.now().minusSeconds(3600), Instant.now().plus(Duration.ofDays(2)));
        Files.writeString(dir.resolve("cert.pem"), Pem.certificates(List.of(certificate)));
        Files.writeString(dir.resolve("key.pem"), Pem.privateKey(keys.getPrivate()));
        int port = freePort();
        int management = freePort();
        int dns = freePort();
        int dnsManagement = freePort();
        Files.writeString(dir.resolve("pebble.json"), """
                {"pebble": {"listenAddress": "127.0.0.1:%d", "managementListenAddress": "127.0.0.1:%d",
                  "certificate": "%s", "privateKey": "%s", "httpPort": %d, "tlsPort": %d,
                  "ocspResponderURL": "", "externalAccountBindingRequired": false}}
                """.formatted(port, management, dir.resolve("cert.pem"), dir.resolve("key.pem"), httpPort, freePort()));
        var pebble = new Pebble(dir, port, management, dns, dnsManagement, trusting(certificate));
        try {
            pebble.run(dir.resolve("challtestsrv.log"), "/usr/bin/pebble-challtestsrv", "-dns01", "127.0.0.1:" + dns,
                    "-http01", "", "-https01", "", "-tlsalpn01", "", "-management", "127.0.0.1:" + dnsManagement,
                    "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "");
            pebble.awaitPort(dnsManagement);
            pebble.run(dir.resolve("pebble.log"), "/usr/bin/pebble", "-config", dir.resolve("pebble.json").toString(),
                    "-dnsserver", "127.0.0.1:" + dns);
            pebble.awaitPort(port);
            pebble.awaitPort(management);
            return pebble;
        } catch (Exception e) {
            pebble.close();
            throw e;
        }
    }

    /** The ACME directory URL. */
    public URI directory() {
        return URI.create("https://127.0.0.1:" + port + "/dir");
    }

    /** The PEM file of the certificate Pebble's TLS presents, for {@code berth.acme.ca-file}. */
    public Path caFile() {
        return dir.resolve("cert.pem");
    }

    /** {@code HOST:PORT} of the DNS server Pebble asks, for {@code berth.acme.dns-server}. */
    public String dnsServer() {
        return "127.0.0.1:" + dnsPort;
    }

    /** Makes {@code host} resolve to {@code address} (A) for Pebble and the platform; nobody connects to it. */
    public void addA(String host, String address) throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + dnsManagementPort + "/add-a"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"host\":\"" + host + "\",\"addresses\":[\"" + address + "\"]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) throw new IllegalStateException("challtestsrv add-a: " + response.statusCode());
    }

    /** The root that signs Pebble's certificates (made at its start). */
    public X509Certificate root() throws Exception {
        var client = HttpClient.newBuilder().sslContext(trust).build();
        var response = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + managementPort + "/roots/0")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(response.body()));
    }

    private void run(Path log, String... command) throws IOException {
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("PEBBLE_VA_NOSLEEP", "1");
        builder.environment().put("PEBBLE_WFE_NONCEREJECT", "0");
        builder.environment().put("PEBBLE_AUTHZREUSE", "0");
        processes.add(builder.start());
    }

    private void awaitPort(int port) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        while (true) {
            try (var socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                for (var p : processes) {
                    if (!p.isAlive()) throw new IllegalStateException("a Pebble process ended: " + logs());
                }
                if (Instant.now().isAfter(deadline)) throw new IllegalStateException("port " + port + " never opened: " + logs());
                Thread.sleep(100);
            }
        }
    }

    /** What Pebble and challtestsrv printed, for failure messages. */
    public String logs() {
        var out = new StringBuilder();
        for (String name : List.of("pebble.log", "challtestsrv.log")) {
            try {
                out.append("\n--- ").append(name).append('\n').append(Files.readString(dir.resolve(name)));
            } catch (IOException e) {
                out.append("\n--- ").append(name).append(": ").append(e.getMessage());
            }
        }
        return out.toString();
    }

    /**
     * A loopback port nothing listens on, for a server started later, from just below the kernel's
     * ephemeral range (32768 on): a port the kernel hands out could meanwhile become the local port of
     * some long-lived connection (a pooled database connection, a long poll), and the server that was
     * meant to bind it would fail for as long as that connection lives.
     */
    public static int freePort() {
        var random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = random.nextInt(32000, 32768);
            try (var socket = new ServerSocket()) {
                socket.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 1);
                return port;
            } catch (IOException e) {
                // taken: another
            }
        }
        throw new UncheckedIOException(new IOException("no free loopback port in 32000-32767"));
    }

    private static SSLContext trusting(X509Certificate certificate) throws Exception {
        var store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("pebble", certificate);
        var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        var context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    @Override
    public void close() {
        for (var p : processes) {
            p.destroy();
        }
        for (var p : processes) {
            try {
                if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
