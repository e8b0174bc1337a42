package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.net.BackendPool;
import dev.berth.agent.net.NamespaceDialer;
import dev.berth.agent.net.PortListener;
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
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Published ports: the agent listens on the host and opens each backend connection inside the
 * container's own network namespace (loopback only). One listener serves several containers in
 * turn; draining one keeps its open connections.
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

    private PortListener listen(BackendPool<PortListener.Target> pool) throws IOException {
        var listener = new PortListener(new InetSocketAddress("127.0.0.1", 0), pool);
        closeables.addFirst(listener);
        return listener;
    }

    private static String get(InetSocketAddress at) throws IOException {
        try (var s = new Socket(at.getAddress(), at.getPort())) {
            s.getOutputStream().write("GET /index.html HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /** What the port answers; nothing when it closed or reset the connection. */
    private static String answer(InetSocketAddress at) {
        try {
            return get(at);
        } catch (IOException reset) {
            return "";
        }
    }

    @Test
    void connectionsTakeTurnsAndADrainedContainerFinishesWhatItHasOpen() throws Exception {
        var pool = new BackendPool<PortListener.Target>();
        pool.add("blue", new PortListener.Target(serve("blue"), 8080));
        pool.add("green", new PortListener.Target(serve("green"), 8080));
        pool.ready("blue", true);
        pool.ready("green", true);
        InetSocketAddress at = listen(pool).address();
        var bodies = new ArrayList<String>();
        for (int i = 0; i < 4; i++) bodies.add(get(at).contains("blue") ? "blue" : "green");
        assertThat(bodies).containsExactly("blue", "green", "blue", "green");

        // A request half sent to blue when blue drains still completes on blue; new ones go to green.
        try (var inFlight = new Socket(at.getAddress(), at.getPort())) {
            OutputStream out = inFlight.getOutputStream();
            InputStream in = inFlight.getInputStream();
            out.write("GET /index.html HTTP/1.0\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            while (pool.active("blue") < 1) Thread.sleep(10);
            pool.drain("blue");
            assertThat(get(at)).contains("green");
            assertThat(get(at)).contains("green");
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).contains("200 OK").contains("blue");
        }
        while (pool.active("blue") > 0) Thread.sleep(10);
    }

    @Test
    void withNothingServingAConnectionIsClosedAtOnce() throws Exception {
        var pool = new BackendPool<PortListener.Target>();
        pool.add("blue", new PortListener.Target(serve("blue"), 8080));
        InetSocketAddress at = listen(pool).address();
        assertThat(answer(at)).as("not ready: closed without an answer").isEmpty();
        pool.ready("blue", true);
        assertThat(get(at)).contains("blue");
    }

    @Test
    void aBackendThatRefusesIsPassedOver() throws Exception {
        var pool = new BackendPool<PortListener.Target>();
        var dialer = serve("blue");
        pool.add("closed-port", new PortListener.Target(dialer, 9999));
        pool.add("blue", new PortListener.Target(dialer, 8080));
        pool.ready("closed-port", true);
        pool.ready("blue", true);
        InetSocketAddress at = listen(pool).address();
        for (int i = 0; i < 3; i++) assertThat(get(at)).contains("blue");
        assertThat(pool.active("closed-port")).isZero();
        assertThat(pool.pick(Set.of("blue"))).as("still counted as serving; only its connection failed").isPresent();
    }

    @Test
    void aPortInUseIsRefusedClearly() throws Exception {
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            var at = new InetSocketAddress("127.0.0.1", taken.getLocalPort());
            assertThatThrownBy(() -> new PortListener(at, new BackendPool<>()))
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
