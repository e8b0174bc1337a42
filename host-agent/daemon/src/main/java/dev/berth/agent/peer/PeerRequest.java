package dev.berth.agent.peer;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a peer asks for, as the first line on the TLS stream (JSON, at most {@link #MAX_LINE}
 * bytes): a replica of this host, the port of its app, and the app on whose behalf. The answer is
 * one line, {@code OK} or {@code REFUSED reason}; after {@code OK} the stream carries the bytes.
 *
 * @param container the replica's container name on the serving host
 * @param port the producing app's port name
 * @param consumerApp the app that connects (team-qualified)
 */
record PeerRequest(String container, String port, String consumerApp) {
    static final int MAX_LINE = 1024;
    static final int MAX_FIELD = 253;
    static final String OK = "OK";
    static final String REFUSED = "REFUSED ";
    private static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    PeerRequest {
        check(container, "container");
        check(port, "port");
        check(consumerApp, "consumerApp");
    }

    private static void check(String value, String field) {
        if (value == null || value.isBlank() || value.length() > MAX_FIELD || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException(field + " must be 1 to " + MAX_FIELD + " printable characters");
        }
    }

    byte[] line() {
        return (JSON.writeValueAsString(this) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static PeerRequest parse(String line) throws IOException {
        try {
            return JSON.readValue(line, PeerRequest.class);
        } catch (JacksonException e) {
            throw new IOException("not a peer request: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw new IOException("not a peer request: " + e.getMessage());
        }
    }

    /**
     * One line of at most {@code max} bytes read from {@code in} within {@code within} in all, so a
     * peer that trickles bytes cannot hold the connection; the newline is not part of it.
     */
    static String readLine(Socket socket, InputStream in, int max, Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        byte[] line = new byte[max];
        int size = 0;
        int previousTimeout = socket.getSoTimeout();
        try {
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) throw new SocketTimeoutException("no full line within " + within.toMillis() + " ms");
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
                int b;
                try {
                    b = in.read();
                } catch (SocketTimeoutException e) {
                    throw new SocketTimeoutException("no full line within " + within.toMillis() + " ms");
                }
                if (b < 0) throw new IOException("the stream ended before the line did");
                if (b == '\n') return new String(line, 0, size, StandardCharsets.UTF_8);
                if (size == max) throw new IOException("the line is longer than " + max + " bytes");
                line[size++] = (byte) b;
            }
        } finally {
            socket.setSoTimeout(previousTimeout);
        }
    }
}
