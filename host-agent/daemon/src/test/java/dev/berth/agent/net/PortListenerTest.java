package dev.berth.agent.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A listener relaying to a backend in this process's own network namespace (the dialer enters
 * it, as it enters a container's): replies after a half-close, closing cuts open connections, no
 * serving backend refuses at once.
 */
class PortListenerTest {
    private ServerSocketChannel backend;
    private NamespaceDialer dialer;
    private final BackendPool<PortListener.Target> pool = new BackendPool<>();

    @BeforeEach
    void setUp() throws IOException {
        // Answers "you sent N bytes" once the client has finished sending.
        backend = LoopbackServer.start(c -> {
            var buffer = ByteBuffer.allocate(4096);
            long total = 0;
            int n;
            while ((n = c.read(buffer.clear())) >= 0) total += n;
            c.write(StandardCharsets.US_ASCII.encode("you sent " + total + " bytes"));
        });
        dialer = new NamespaceDialer(Path.of("/proc/self/ns/net"), "listener-test");
        pool.add("one", new PortListener.Target(dialer, ((InetSocketAddress) backend.getLocalAddress()).getPort()));
    }

    @AfterEach
    void tearDown() throws IOException {
        backend.close();
        dialer.close();
    }

    @Test
    void aClientThatHalfClosesGetsTheBackendsReply() throws Exception {
        pool.ready("one", true);
        try (var listener = new PortListener(new InetSocketAddress("127.0.0.1", 0), pool);
                var client = connect(listener)) {
            client.getOutputStream().write(new byte[100_000]);
            client.shutdownOutput();
            assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("you sent 100000 bytes");
        }
    }

    @Test
    void closingTheListenerCutsOpenConnections() throws Exception {
        pool.ready("one", true);
        var listener = new PortListener(new InetSocketAddress("127.0.0.1", 0), pool);
        try (var client = connect(listener)) {
            client.getOutputStream().write(1);
            waitUntilActive();
            listener.close();
            assertThat(client.getInputStream().read()).as("the backend never answered; the cut ends the stream").isEqualTo(-1);
        }
        for (int i = 0; i < 500 && pool.active("one") > 0; i++) Thread.sleep(10);
        assertThat(pool.active("one")).as("the connection was given back to the pool").isZero();
    }

    @Test
    void withoutAServingBackendTheClientIsRefusedAtOnce() throws Exception {
        try (var listener = new PortListener(new InetSocketAddress("127.0.0.1", 0), pool);
                var client = connect(listener)) {
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }
    }

    private static Socket connect(PortListener listener) throws IOException {
        var s = new Socket(listener.address().getAddress(), listener.address().getPort());
        s.setSoTimeout(5000); // a hang fails the test rather than the build
        return s;
    }

    private void waitUntilActive() throws InterruptedException, SocketTimeoutException {
        for (int i = 0; i < 500 && pool.active("one") == 0; i++) Thread.sleep(10);
        if (pool.active("one") == 0) throw new SocketTimeoutException("the listener never picked the backend");
    }
}
