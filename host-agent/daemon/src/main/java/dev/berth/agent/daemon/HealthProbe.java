package dev.berth.agent.daemon;

import dev.berth.agent.net.NamespaceDialer;
import dev.berth.agent.protocol.HealthCheck;
import dev.berth.agent.runtime.Runc;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Runs one health check inside the container's namespaces: HTTP and TCP through its loopback, exec
 * through runc. Each attempt is given {@code timeout}; a late answer counts as a failure.
 */
final class HealthProbe {
    private HealthProbe() {
    }

    static boolean passes(HealthCheck check, NamespaceDialer dialer, Runc runc, String container, Duration timeout) {
        try {
            return switch (check) {
                case HealthCheck.Tcp tcp -> {
                    try (var c = dialer.dial(tcp.port(), timeout)) {
                        yield true;
                    }
                }
                case HealthCheck.Http http -> httpOk(dialer, http, timeout);
                case HealthCheck.Exec exec -> runc.exec(container, exec.command(), timeout).exitCode() == 0;
            };
        } catch (IOException | RuntimeException failed) {
            return false;
        }
    }

    /** A GET answered with 2xx or 3xx within the timeout. */
    private static boolean httpOk(NamespaceDialer dialer, HealthCheck.Http http, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (var channel = dialer.dial(http.port(), timeout)) {
            // Blocking reads have no timeout of their own: close the channel if the answer is late.
            Thread timer = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                    channel.close();
                } catch (InterruptedException | IOException answered) {
                    // in time, or closing anyway
                }
            });
            try {
                String request = "GET " + http.path() + " HTTP/1.0\r\nHost: localhost\r\nUser-Agent: berth-agent\r\n\r\n";
                channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
                var buffer = ByteBuffer.allocate(64);
                while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                    if (new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).contains("\r\n")) break;
                }
                String statusLine = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
                String[] parts = statusLine.split(" ");
                return parts.length >= 2 && parts[0].startsWith("HTTP/") && (parts[1].startsWith("2") || parts[1].startsWith("3"));
            } finally {
                timer.interrupt();
            }
        }
    }
}
