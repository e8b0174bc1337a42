package dev.berth.agent.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.protocol.ConnectGrant;
import dev.berth.agent.protocol.ConnectTarget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two agents' peer link over real TLS 1.3 on 127.0.0.1, with certificates of a CA issuing what the
 * platform issues, to an echo server standing in for a replica.
 */
class PeerLinkTest {
    private static final String SERVER_HOST = "h-serverhost01";
    private static final String CLIENT_HOST = "h-clienthost01";
    private static final String PRODUCER = "team.api";
    private static final String CONSUMER = "team.web";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Generous: the first request of a JVM under load (class loading, JIT) must not time out. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    private final TestCa platform = new TestCa("Berth platform CA test");
    private final PeerCredentials serverCredentials = new PeerCredentials(platform.identity(SERVER_HOST));
    private final PeerCredentials clientCredentials = new PeerCredentials(platform.identity(CLIENT_HOST));
    private final AtomicInteger replicaConnections = new AtomicInteger();
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private List<ConnectGrant> grants;
    private ServerSocket echo;
    private PeerServer server;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::echo);
        // The grant gives the echo server's port as the number of "http" in api-1: the server dials what the grant says.
        grants = List.of(new ConnectGrant(PRODUCER, "http", CONSUMER, List.of(CLIENT_HOST), Map.of("api-1", echo.getLocalPort())));
        PeerServer.Dialer loopback = port -> SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        var replicas = Map.of("api-1", new PeerServer.Replica(PRODUCER, loopback));
        server = PeerServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), serverCredentials, () -> grants,
                container -> Optional.ofNullable(replicas.get(container)),
                REQUEST_TIMEOUT, new PrintStream(logBytes, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        echo.close();
    }

    /** Echoes every byte; at the end of its input it says "bye" and closes. */
    private void echo() {
        while (!echo.isClosed()) {
            try {
                Socket s = echo.accept();
                replicaConnections.incrementAndGet();
                Thread.ofVirtual().start(() -> {
                    try (s) {
                        s.getInputStream().transferTo(s.getOutputStream());
                        s.getOutputStream().write("bye\n".getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException ignored) {
                        // the test sees what arrived
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    private ConnectTarget.Backend backend(String hostId, String container) {
        return new ConnectTarget.Backend(hostId, container, 8080, "127.0.0.1:" + server.address().getPort());
    }

    private static String readAll(PeerConnection connection) throws IOException {
        var out = new ByteArrayOutputStream();
        var buffer = ByteBuffer.allocate(1024);
        while (connection.read(buffer.clear()) >= 0) out.write(buffer.array(), 0, buffer.position());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aGrantedConsumerReachesTheReplicaAndBytesFlowBothWaysWithHalfClose() throws IOException {
        try (var connection = new PeerClient(clientCredentials).open(backend(SERVER_HOST, "api-1"), "http", CONSUMER, TIMEOUT)) {
            connection.write(ByteBuffer.wrap("hello over the peer link\n".getBytes(StandardCharsets.UTF_8)));
            connection.shutdownOutput();
            // The replica saw the end of its input and still answered.
            assertThat(readAll(connection)).isEqualTo("hello over the peer link\nbye\n");
        }
        assertThat(replicaConnections).hasValue(1);
    }

    private void assertRefused(PeerCredentials client, ConnectTarget.Backend backend, String consumer, String... messageParts) {
        assertThatThrownBy(() -> new PeerClient(client).open(backend, "http", consumer, TIMEOUT).close())
                .isInstanceOf(IOException.class).message().contains(messageParts);
        assertThat(replicaConnections).as("nothing reached the replica").hasValue(0);
    }

    @Test
    void aClientCertificateOfAnotherCaIsRefusedAtTheHandshake() {
        var rogue = new TestCa("Berth platform CA test");
        var pair = PeerIdentity.newKeyPair();
        var forged = rogue.issue(CLIENT_HOST, pair.getPublic(), java.time.Instant.now().minusSeconds(60), Duration.ofDays(1));
        // It trusts the real platform CA, so only the server's check of its certificate can stop it.
        var client = new PeerCredentials(new PeerIdentity(pair.getPrivate(), forged, platform.certificate));
        assertRefused(client, backend(SERVER_HOST, "api-1"), CONSUMER, "cannot reach api-1");
    }

    @Test
    void aValidCertificateOfAHostNotAmongTheConsumerHostsIsRefused() {
        var other = new PeerCredentials(platform.identity("h-otherhost001"));
        assertRefused(other, backend(SERVER_HOST, "api-1"), CONSUMER, "refused api-1", "on host h-otherhost001");
    }

    @Test
    void aConsumerAppWithoutAGrantIsRefused() {
        assertRefused(clientCredentials, backend(SERVER_HOST, "api-1"), "team.intruder", "no grant lets app team.intruder");
        grants = List.of();
        assertRefused(clientCredentials, backend(SERVER_HOST, "api-1"), CONSUMER, "no grant lets app team.web");
    }

    @Test
    void aContainerThatIsNotTheServersReplicaIsRefused() {
        assertRefused(clientCredentials, backend(SERVER_HOST, "db-1"), CONSUMER, "container db-1 is no replica serving on this host");
    }

    @Test
    void aServerWhoseCertificateNamesAnotherHostIsRefusedByTheClient() {
        assertRefused(clientCredentials, backend("h-expectedhost", "api-1"), CONSUMER, "is host " + SERVER_HOST + ", not h-expectedhost");
    }

    @Test
    void aBackendWithoutPeerAddressIsRefusedAtOnce() {
        var backend = new ConnectTarget.Backend(SERVER_HOST, "api-1", 8080, null);
        assertRefused(clientCredentials, backend, CONSUMER, "has no peer address");
    }

    /** A TLS connection with the client's credentials, handshake done, nothing sent. */
    private SSLSocket rawClient(PeerCredentials credentials, String... protocols) throws IOException {
        var socket = (SSLSocket) credentials.tls().context().getSocketFactory().createSocket("127.0.0.1", server.address().getPort());
        socket.setEnabledProtocols(protocols);
        socket.setSoTimeout((int) TIMEOUT.toMillis());
        socket.startHandshake();
        return socket;
    }

    @Test
    void tls12IsRefused() {
        assertThatThrownBy(() -> rawClient(clientCredentials, "TLSv1.2").close()).isInstanceOf(SSLHandshakeException.class);
    }

    private static String answer(SSLSocket socket) throws IOException {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void anOversizedRequestLineIsRefused() throws IOException {
        try (var socket = rawClient(clientCredentials, "TLSv1.3")) {
            socket.getOutputStream().write(("{\"container\":\"" + "a".repeat(2000) + "\"}\n").getBytes(StandardCharsets.UTF_8));
            assertThat(answer(socket)).startsWith("REFUSED the line is longer than 1024 bytes");
        }
        assertThat(replicaConnections).hasValue(0);
    }

    @Test
    void aRequestLineTrickledSlowerThanTheTimeoutIsRefused() throws Exception {
        try (var socket = rawClient(clientCredentials, "TLSv1.3")) {
            long started = System.nanoTime();
            InputStream in = socket.getInputStream();
            var out = socket.getOutputStream();
            // A byte every 300 ms keeps each read short of a timeout, but not the whole line.
            for (int i = 0; i < 20 && !socket.isInputShutdown(); i++) {
                try {
                    out.write('{');
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
                Thread.sleep(300);
            }
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("REFUSED no full line within 2000 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
        assertThat(replicaConnections).hasValue(0);
    }

    @Test
    void aPeerThatNeverHandshakesIsCutOff() throws IOException {
        try (var silent = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
            silent.setSoTimeout(10_000);
            long started = System.nanoTime();
            int read;
            try {
                read = silent.getInputStream().read();
            } catch (java.net.SocketException reset) {
                read = -1;
            }
            assertThat(read).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(REQUEST_TIMEOUT.multipliedBy(3));
        }
    }

    @Test
    void closingTheListenerCutsConnectionsUnderWay() throws IOException {
        try (var connection = new PeerClient(clientCredentials).open(backend(SERVER_HOST, "api-1"), "http", CONSUMER, TIMEOUT)) {
            connection.write(ByteBuffer.wrap("x\n".getBytes(StandardCharsets.UTF_8)));
            var first = ByteBuffer.allocate(2);
            while (first.hasRemaining()) connection.read(first);
            server.close();
            int read;
            try {
                read = connection.read(ByteBuffer.allocate(16));
            } catch (IOException cut) {
                read = -1;
            }
            assertThat(read).isEqualTo(-1);
        }
    }

    @Test
    void aRequestThatIsNotOneIsRefused() throws IOException {
        try (var socket = rawClient(clientCredentials, "TLSv1.3")) {
            socket.getOutputStream().write("GET / HTTP/1.1\n".getBytes(StandardCharsets.UTF_8));
            assertThat(answer(socket)).startsWith("REFUSED not a peer request");
        }
    }

    @Test
    void aSwappedCertificateServesNewHandshakesWhileAnOpenConnectionKeepsWorking() throws IOException {
        var before = serverCredentials.identity().orElseThrow();
        try (var open = new PeerClient(clientCredentials).open(backend(SERVER_HOST, "api-1"), "http", CONSUMER, TIMEOUT)) {
            var renewed = platform.identity(SERVER_HOST);
            serverCredentials.use(renewed);
            clientCredentials.use(platform.identity(CLIENT_HOST));

            try (var fresh = rawClient(clientCredentials, "TLSv1.3")) {
                var presented = (java.security.cert.X509Certificate) fresh.getSession().getPeerCertificates()[0];
                assertThat(presented.getSerialNumber()).isEqualTo(renewed.certificate().getSerialNumber())
                        .isNotEqualTo(before.certificate().getSerialNumber());
            }
            try (var second = new PeerClient(clientCredentials).open(backend(SERVER_HOST, "api-1"), "http", CONSUMER, TIMEOUT)) {
                second.write(ByteBuffer.wrap("new\n".getBytes(StandardCharsets.UTF_8)));
                second.shutdownOutput();
                assertThat(readAll(second)).isEqualTo("new\nbye\n");
            }
            open.write(ByteBuffer.wrap("still here\n".getBytes(StandardCharsets.UTF_8)));
            open.shutdownOutput();
            assertThat(readAll(open)).isEqualTo("still here\nbye\n");
        }
    }

    @Test
    void aListenerWithoutCertificateRefusesEveryone() throws IOException {
        try (var bare = PeerServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new PeerCredentials(),
                () -> grants, c -> Optional.empty(), REQUEST_TIMEOUT, new PrintStream(logBytes, true, StandardCharsets.UTF_8))) {
            var backend = new ConnectTarget.Backend(SERVER_HOST, "api-1", 8080, "127.0.0.1:" + bare.address().getPort());
            assertThatThrownBy(() -> new PeerClient(clientCredentials).open(backend, "http", CONSUMER, TIMEOUT))
                    .isInstanceOf(IOException.class);
        }
    }
}
