package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.net.NamespaceDialer;
import dev.berth.agent.net.PortForwarder;
import dev.berth.agent.protocol.ContainerSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Published ports: the agent listens on the host and opens each backend connection inside the
 * container's own network namespace (loopback only). Swapping the backend keeps open connections.
 */
class PublishedPortTest {
    private RuntimeFixture host;
    private final List<String> started = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        host = new RuntimeFixture(new IdRange(9 * 65536, IdRange.SIZE), "sh", "echo", "httpd");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables) c.close();
        for (String id : started) host.runc.delete(id, true);
        if (host != null) host.close();
    }

    /** A container serving {@code body} on its own loopback port 8080; returns its dialer. */
    private NamespaceDialer serve(String body) throws Exception {
        var spec = host.spec("echo " + body + " > /www/index.html && exec httpd -f -p 127.0.0.1:8080 -h /www",
                new ContainerSpec.Resources(64L << 20, 500, 64), List.of(new ContainerSpec.TmpfsMount("/www", 1L << 20)));
        String id = spec.name();
        host.runc.runDetached(id, host.bundle(spec, Map.of()), host.work.resolve(id + ".log"));
        started.add(id);
        var dialer = new NamespaceDialer(Path.of("/proc", Long.toString(host.runc.state(id).pid()), "ns", "net"), id);
        closeables.add(dialer);
        var deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (true) {
            try (var probe = dialer.dial(8080)) {
                return dialer;
            } catch (IOException notYet) {
                if (Instant.now().isAfter(deadline)) throw new AssertionError("httpd in " + id + " never listened", notYet);
                Thread.sleep(50);
            }
        }
    }

    private static String get(InetSocketAddress at) throws IOException {
        try (var s = new Socket(at.getAddress(), at.getPort())) {
            s.getOutputStream().write("GET /index.html HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void requestsReachTheContainerAndASwapKeepsOpenConnections() throws Exception {
        var blue = serve("blue");
        var forwarder = new PortForwarder(new InetSocketAddress("127.0.0.1", 0), new PortForwarder.Backend(blue, 8080));
        closeables.addFirst(forwarder);
        InetSocketAddress at = forwarder.address();
        assertThat(get(at)).contains("200 OK").contains("blue");

        // A request half sent to blue when the swap happens still completes on blue.
        try (var inFlight = new Socket(at.getAddress(), at.getPort())) {
            OutputStream out = inFlight.getOutputStream();
            InputStream in = inFlight.getInputStream();
            out.write("GET /index.html HTTP/1.0\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            while (forwarder.openConnections() < 1) Thread.sleep(10);

            var green = serve("green");
            forwarder.switchTo(new PortForwarder.Backend(green, 8080));
            assertThat(get(at)).contains("green");

            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).contains("200 OK").contains("blue");
        }
    }

    @Test
    void aPortInUseIsRefusedClearly() throws Exception {
        var blue = serve("blue");
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            var at = new InetSocketAddress("127.0.0.1", taken.getLocalPort());
            assertThatThrownBy(() -> new PortForwarder(at, new PortForwarder.Backend(blue, 8080)))
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void theContainersPortIsNotReachableFromTheHostDirectly() throws Exception {
        serve("hidden");
        assertThatThrownBy(() -> {
            try (var s = new Socket("127.0.0.1", 8080)) {
                s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                if (new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).contains("hidden")) {
                    throw new AssertionError("the container's loopback answered on the host's");
                }
                throw new IOException("something else listens on 8080 on this host");
            }
        }).isInstanceOf(IOException.class);
    }
}
