package dev.berth.agent.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.ConnectGrant;
import dev.berth.agent.protocol.ConnectTarget;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Request/response through the peer link with messages larger than a TLS record: the link cuts
 * each into several writes, and a replica that answers only once it has the whole request sends
 * no ACK to ride on. With Nagle on the link's sockets every round trip waited for a delayed ACK
 * (40 ms on Linux, twice: 88 ms at p50 in the connects benchmark); the relayed sockets send at once.
 */
class PeerLinkRoundTripTest {
    private static final int MESSAGE = 20_000;
    private static final int TRIPS = 20;

    @Test
    void wholeMessageRoundTripsWaitForNoDelayedAck() throws Exception {
        var platform = new TestCa("Berth platform CA test");
        try (var replica = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> answerWholeMessages(replica));
            var grants = List.of(new ConnectGrant("team.api", "http", "team.web", List.of("h-clienthost01"),
                    Map.of("api-1", replica.getLocalPort())));
            PeerServer.Dialer loopback = port -> SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            try (var server = PeerServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    new PeerCredentials(platform.identity("h-serverhost01")), () -> grants,
                    c -> Optional.of(new PeerServer.Replica("team.api", loopback)), PeerServer.DEFAULT_REQUEST_TIMEOUT, System.err);
                    var connection = new PeerClient(new PeerCredentials(platform.identity("h-clienthost01"))).open(
                            new ConnectTarget.Backend("h-serverhost01", "api-1", 8080, "127.0.0.1:" + server.address().getPort()),
                            "http", "team.web", Duration.ofSeconds(5))) {
                roundTrip(connection); // warm-up: class loading and the first relay
                long started = System.nanoTime();
                for (int i = 0; i < TRIPS; i++) roundTrip(connection);
                // With the stalls this takes TRIPS x 40 ms at least; without, a few ms even on a loaded machine.
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(TRIPS * 20));
            }
        }
    }

    private static void roundTrip(PeerConnection connection) throws IOException {
        var message = ByteBuffer.allocate(MESSAGE);
        while (message.hasRemaining()) connection.write(message);
        message.clear();
        while (message.hasRemaining()) {
            if (connection.read(message) < 0) throw new IOException("the replica hung up");
        }
    }

    /** Reads a whole message, then answers it with one write of the same size. */
    private static void answerWholeMessages(ServerSocket replica) {
        try (Socket s = replica.accept()) {
            var in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (true) {
                byte[] message = in.readNBytes(MESSAGE);
                if (message.length < MESSAGE) return;
                out.write(message);
                out.flush();
            }
        } catch (IOException ignored) {
            // the test ends the connection
        }
    }
}
