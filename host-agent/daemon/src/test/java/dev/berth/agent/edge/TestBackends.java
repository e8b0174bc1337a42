package dev.berth.agent.edge;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** Backends on 127.0.0.1 for the edge tests: HTTP servers that name themselves and a WebSocket echo. */
final class TestBackends implements AutoCloseable {
    private final List<AutoCloseable> open = new ArrayList<>();

    /** An HTTP server answering every request (after 1.5 s for a path ending in /slow) with its name, the path it saw and the X-Forwarded-* headers it got. */
    String http(String name) throws IOException {
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().endsWith("/slow")) {
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            var h = exchange.getRequestHeaders();
            String body = name + "\npath=" + exchange.getRequestURI().getRawPath() + "\nxff=" + h.getFirst("X-Forwarded-For")
                    + "\nxfp=" + h.getFirst("X-Forwarded-Proto") + "\nxfh=" + h.getFirst("X-Forwarded-Host") + "\n";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (var out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        open.add(() -> server.stop(0));
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** A port on 127.0.0.1 nothing listens on (bound a moment, then closed). */
    static int closedPort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A WebSocket server that answers the upgrade and sends back each text frame it gets, prefixed with "echo: ". */
    String webSocketEcho() throws IOException {
        var server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        open.add(server);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    var socket = server.accept();
                    Thread.ofVirtual().start(() -> echo(socket));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return "127.0.0.1:" + server.getLocalPort();
    }

    private static void echo(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String key = null;
            String line;
            while (!(line = readLine(in)).isEmpty()) {
                if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) key = line.substring(18).strip();
            }
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                    + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            while (true) {
                int first = in.read();
                if (first < 0) return;
                int second = in.read();
                long length = second & 0x7f;
                if (length == 126) length = (in.read() << 8) | in.read();
                byte[] mask = in.readNBytes(4);
                byte[] payload = in.readNBytes((int) length);
                for (int i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
                if ((first & 0x0f) == 8) return;
                byte[] reply = ("echo: " + new String(payload, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                out.write(0x81);
                out.write(reply.length);
                out.write(reply);
                out.flush();
            }
        } catch (Exception e) {
            // the test sees what went wrong on its side
        }
    }

    private static String readLine(InputStream in) throws IOException {
        var line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') if (c != '\r') line.append((char) c);
        return line.toString();
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : open) c.close();
    }
}
