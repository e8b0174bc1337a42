package dev.berth.agent.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Caddy's admin API over its unix socket: HTTP/1.0 (one request per connection, the answer ends
 * with the connection, so no chunked bodies), an empty {@code Host} (Caddy 2.6 allows only that
 * origin on a unix socket), answers capped, each call bounded in time. Only {@code POST /load}
 * changes anything: the whole configuration at once, which Caddy swaps in one step, letting
 * requests in flight finish on the old one.
 */
final class CaddyAdmin {
    static final int MAX_ANSWER = 64 * 1024;
    private static final int MAX_ERROR = 300;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Path socket;
    private final Duration timeout;

    /** What Caddy answered that was not a success, as a sentence for {@code EdgeStatus.error}. */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    CaddyAdmin(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    /** Replaces Caddy's whole configuration; the body is never logged (it holds private keys). */
    void load(String config) throws IOException {
        byte[] body = config.getBytes(StandardCharsets.UTF_8);
        var answer = call("POST", "/load", body);
        if (answer.status() / 100 != 2) {
            throw new Refused("Caddy refused the configuration (HTTP " + answer.status() + "): " + errorOf(answer.body()));
        }
    }

    /** True when the admin API answers. */
    boolean ready() {
        try {
            return call("GET", "/config/admin", null).status() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** Caddy's configuration as it serves it now, for tests. */
    String config() throws IOException {
        var answer = call("GET", "/config/", null);
        if (answer.status() != 200) throw new Refused("Caddy answered HTTP " + answer.status() + " for its configuration");
        return answer.body();
    }

    record Answer(int status, String body) {
    }

    private Answer call(String method, String path, byte[] body) throws IOException {
        var done = new AtomicBoolean();
        try (var channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            // A blocking channel has no read timeout: a watchdog closes it when the call takes too long.
            var watchdog = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(timeout);
                    if (!done.get()) channel.close();
                } catch (InterruptedException | IOException e) {
                    // the call ended first
                }
            });
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
                var head = method + " " + path + " HTTP/1.0\r\nHost: \r\n"
                        + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n") + "\r\n";
                write(channel, head.getBytes(StandardCharsets.US_ASCII));
                if (body != null) write(channel, body);
                return parse(readAll(channel));
            } catch (IOException e) {
                if (!channel.isOpen() && !done.get()) throw new IOException("Caddy's admin API did not answer within " + timeout.toMillis() + " ms");
                throw e;
            } finally {
                done.set(true);
                watchdog.interrupt();
            }
        }
    }

    private static void write(SocketChannel channel, byte[] bytes) throws IOException {
        var buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) channel.write(buffer);
    }

    private static byte[] readAll(SocketChannel channel) throws IOException {
        var out = new ByteArrayOutputStream();
        var buffer = ByteBuffer.allocate(8192);
        while (channel.read(buffer) >= 0) {
            buffer.flip();
            int take = Math.min(buffer.remaining(), MAX_ANSWER - out.size());
            out.write(buffer.array(), 0, take);
            buffer.clear();
            if (out.size() >= MAX_ANSWER) break;
        }
        return out.toByteArray();
    }

    static Answer parse(byte[] raw) throws IOException {
        String text = new String(raw, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        String statusLine = text.lines().findFirst().orElse("");
        String[] parts = statusLine.split(" ", 3);
        if (end < 0 || parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("Caddy's admin API answered something else than HTTP");
        }
        try {
            return new Answer(Integer.parseInt(parts[1]), text.substring(end + 4));
        } catch (NumberFormatException e) {
            throw new IOException("Caddy's admin API answered the status '" + parts[1] + "'");
        }
    }

    /** Caddy's {@code {"error": "..."}}, one line, capped. */
    static String errorOf(String body) {
        String message;
        try {
            var node = JSON.readTree(body);
            message = node.hasNonNull("error") ? node.get("error").asString() : body;
        } catch (JacksonException e) {
            message = body;
        }
        message = message.replaceAll("\\s+", " ").strip();
        return message.length() > MAX_ERROR ? message.substring(0, MAX_ERROR) + "…" : message;
    }
}
