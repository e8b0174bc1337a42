package dev.berth.agent.daemon;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/** Plain HTTP from the host side of a published port, for the daemon tests. */
final class TestHttp {
    private TestHttp() {
    }

    static int freePort() throws IOException {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** GET /index.html until a 200 answers (the server inside may still be starting). */
    static String get(int port) throws Exception {
        var deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (true) {
            try (var s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write("GET /index.html HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                if (response.contains("200 OK")) return response;
            } catch (IOException notYet) {
                // starting
            }
            if (Instant.now().isAfter(deadline)) throw new AssertionError("nothing answered on port " + port);
            Thread.sleep(50);
        }
    }
}
