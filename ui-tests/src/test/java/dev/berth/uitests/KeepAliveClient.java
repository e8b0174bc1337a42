package dev.berth.uitests;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 connection that GETs again and again, reconnecting when the server closes it, for
 * benchmarks that compare two ways to one app with the same client: plain HTTP to a published
 * port, or HTTPS to the edge by host name (connected to a loopback address, the name given for SNI
 * and checked against the certificate, as curl's {@code --resolve} does).
 */
final class KeepAliveClient implements AutoCloseable {
    private final InetSocketAddress address;
    private final String host;
    private final SSLContext tls;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    /** How many connections it opened, the first included. */
    int connections;

    /**
     * @param host the Host header, and with {@code tls} the name the certificate must carry
     * @param tls null for plain HTTP
     */
    KeepAliveClient(InetSocketAddress address, String host, SSLContext tls) {
        this.address = address;
        this.host = host;
        this.tls = tls;
    }

    /** The body of a GET of {@code path}; fails on any status but 200. */
    String get(String path) throws IOException {
        if (socket == null) open();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: berth-bench\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = line();
        if (status == null) {
            // The server closed the connection it had kept: once more on a new one.
            close();
            return get(path);
        }
        int length = -1;
        boolean closing = false;
        for (String header = line(); header != null && !header.isEmpty(); header = line()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) length = Integer.parseInt(lower.substring(15).strip());
            if (lower.startsWith("connection:") && lower.contains("close")) closing = true;
        }
        byte[] body = length >= 0 ? in.readNBytes(length) : in.readAllBytes();
        if (length < 0 || closing) close();
        if (!status.startsWith("HTTP/1.1 200")) throw new IOException(host + path + " answered " + status);
        return new String(body, StandardCharsets.UTF_8);
    }

    private void open() throws IOException {
        var raw = new Socket();
        raw.setTcpNoDelay(true);
        raw.connect(address, 5_000);
        raw.setSoTimeout(10_000);
        if (tls != null) {
            var secure = (SSLSocket) tls.getSocketFactory().createSocket(raw, host, address.getPort(), true);
            var parameters = secure.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            secure.setSSLParameters(parameters);
            secure.startHandshake();
            socket = secure;
        } else {
            socket = raw;
        }
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        connections++;
    }

    /** One header line without its CRLF; null at the end of the stream. */
    private String line() throws IOException {
        var bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == '\n') {
                String text = bytes.toString(StandardCharsets.US_ASCII);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            bytes.write(b);
        }
        return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        if (socket == null) return;
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        socket = null;
    }
}
