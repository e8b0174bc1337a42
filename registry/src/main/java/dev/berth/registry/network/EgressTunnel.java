package dev.berth.registry.network;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one way out for HTTP clients that connect where users pointed them: a proxy on 127.0.0.1
 * that resolves each requested host once, checks every address with a {@link TargetGuard} and
 * connects to a checked address. A client that resolved and checked the name itself would resolve
 * it again when connecting, and a DNS answer that changed in between (rebinding) would take it to
 * loopback, private or metadata addresses; here the checked address is the connected one.
 *
 * <p>https goes through {@code CONNECT}: TLS stays end to end, so the client still sends the name
 * as SNI and verifies the certificate against it. Plain http arrives as absolute-form requests;
 * each is forwarded on a connection of its own ({@code Connection: close} both ways), so a client
 * reusing a proxy connection can never send a request for one host to another. A refused or
 * unresolvable host gets no answer from it but a failed tunnel or a closed connection; why is kept
 * for {@link #refusal(String)}.
 *
 * <p>Other local processes can reach the proxy too, but it takes them only where the policy
 * allows, which they can reach directly anyway.
 */
public final class EgressTunnel implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EgressTunnel.class.getName());
    private static final int MAX_HEAD = 32 * 1024;
    private static final int HEAD_TIMEOUT_MS = 30_000;
    private static final int CONNECT_TIMEOUT_MS = 15_000;
    private static final int BUFFER = 16 * 1024;
    // Hop-by-hop headers of the client's or the origin's connection, replaced by Connection: close.
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "proxy-connection", "keep-alive",
            "proxy-authorization", "proxy-authenticate", "te", "trailer", "upgrade");

    private final TargetGuard guard;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Map<String, String> refusals = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private EgressTunnel(TargetGuard guard, ServerSocket server) {
        this.guard = guard;
        this.server = server;
    }

    /** Listens on a free port of 127.0.0.1 until {@link #close()}. */
    public static EgressTunnel start(TargetGuard guard) throws IOException {
        var server = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        var tunnel = new EgressTunnel(guard, server);
        Thread.ofVirtual().name("egress-tunnel-accept").start(tunnel::accept);
        return tunnel;
    }

    /** The proxy for {@link java.net.URL#openConnection(Proxy)} and similar. */
    public Proxy proxy() {
        return new Proxy(Proxy.Type.HTTP, address());
    }

    /** The proxy for {@link java.net.http.HttpClient.Builder#proxy(ProxySelector)}. */
    public ProxySelector proxySelector() {
        return ProxySelector.of(address());
    }

    private InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    /**
     * Why the tunnel last refused {@code host}, if it did since its last allowed connection there;
     * told once, to the client whose request just failed.
     */
    public Optional<String> refusal(String host) {
        return Optional.ofNullable(refusals.remove(key(host)));
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) quietlyClose(s);
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) LOG.log(System.Logger.Level.WARNING, "egress tunnel stopped accepting", e);
                return;
            }
            open.add(client);
            Thread.ofVirtual().name("egress-tunnel").start(() -> {
                try {
                    serve(client);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.DEBUG, "egress tunnel connection ended: {0}", e.toString());
                } finally {
                    quietlyClose(client);
                    open.remove(client);
                }
            });
        }
    }

    private record Head(String startLine, List<String> headers) {
    }

    private void serve(Socket client) throws IOException {
        client.setSoTimeout(HEAD_TIMEOUT_MS);
        InputStream in = new BufferedInputStream(client.getInputStream(), BUFFER);
        OutputStream out = client.getOutputStream();
        Head request = readHead(in);
        String[] line = request.startLine().split(" ", -1);
        if (line.length != 3) {
            reply(out, "400 Bad Request");
            return;
        }
        if (line[0].equals("CONNECT")) {
            HostPort target = HostPort.parse(line[1]);
            Socket upstream = connect(target);
            if (upstream == null) {
                reply(out, refusals.containsKey(key(target.host())) ? "403 Forbidden" : "502 Bad Gateway");
                return;
            }
            try (upstream) {
                out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                client.setSoTimeout(0);
                pipe(in, client, upstream);
            } finally {
                open.remove(upstream);
            }
            return;
        }
        forward(request, line, in, client);
    }

    /** A plain http request in absolute form, forwarded in origin form on a connection of its own. */
    private void forward(Head request, String[] line, InputStream in, Socket client) throws IOException {
        URI uri;
        try {
            uri = new URI(line[1]);
        } catch (java.net.URISyntaxException e) {
            reply(client.getOutputStream(), "400 Bad Request");
            return;
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null) {
            reply(client.getOutputStream(), "400 Bad Request");
            return;
        }
        var target = new HostPort(uri.getHost(), uri.getPort() == -1 ? 80 : uri.getPort());
        Socket upstream = connect(target);
        if (upstream == null) return; // closed without an answer: nothing the client could take for the origin's
        try (upstream) {
            var head = new StringBuilder();
            String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            head.append(line[0]).append(' ').append(path).append(' ').append(line[2]).append("\r\n");
            boolean host = false;
            for (String h : request.headers()) {
                String name = h.substring(0, Math.max(h.indexOf(':'), 0)).strip().toLowerCase(Locale.ROOT);
                if (HOP_BY_HOP.contains(name)) continue;
                host |= name.equals("host");
                head.append(h).append("\r\n");
            }
            if (!host) head.append("Host: ").append(uri.getRawAuthority()).append("\r\n");
            head.append("Connection: close\r\n\r\n");
            OutputStream up = upstream.getOutputStream();
            up.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            up.flush();
            client.setSoTimeout(0);
            // The request body (if any) flows on while the answer comes back.
            Thread body = Thread.ofVirtual().name("egress-tunnel-body").start(() -> copyThenShutdown(in, upstream));
            try {
                InputStream down = new BufferedInputStream(upstream.getInputStream(), BUFFER);
                Head response = readHead(down);
                var answer = new StringBuilder(response.startLine()).append("\r\n");
                for (String h : response.headers()) {
                    String name = h.substring(0, Math.max(h.indexOf(':'), 0)).strip().toLowerCase(Locale.ROOT);
                    if (!HOP_BY_HOP.contains(name)) answer.append(h).append("\r\n");
                }
                answer.append("Connection: close\r\n\r\n");
                OutputStream out = client.getOutputStream();
                out.write(answer.toString().getBytes(StandardCharsets.ISO_8859_1));
                down.transferTo(out);
                out.flush();
            } finally {
                body.interrupt();
            }
        } finally {
            open.remove(upstream);
        }
    }

    private record HostPort(String host, int port) {
        static HostPort parse(String authority) throws IOException {
            int colon = authority.lastIndexOf(':');
            if (colon < 1 || authority.endsWith("]")) throw new IOException("no port in '" + authority + "'");
            String host = authority.substring(0, colon);
            int port;
            try {
                port = Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IOException("bad port in '" + authority + "'");
            }
            if (port < 1 || port > 65535) throw new IOException("bad port in '" + authority + "'");
            return new HostPort(host, port);
        }
    }

    /** A socket to a checked address of the target, or null when it is refused (why is kept for {@link #refusal}) or unreachable. */
    private Socket connect(HostPort target) {
        List<InetAddress> addresses;
        try {
            addresses = guard.resolve(target.host());
        } catch (ForbiddenTargetException e) {
            refuse(target.host(), e.getMessage());
            return null;
        } catch (UnknownHostException e) {
            refuse(target.host(), "'" + target.host() + "' does not resolve");
            return null;
        } catch (IOException e) {
            refuse(target.host(), "'" + target.host() + "' could not be resolved: " + e.getMessage());
            return null;
        }
        var failures = new ArrayList<String>();
        for (InetAddress a : addresses) {
            var s = new Socket();
            try {
                s.connect(new InetSocketAddress(a, target.port()), CONNECT_TIMEOUT_MS);
                refusals.remove(key(target.host()));
                open.add(s);
                return s;
            } catch (IOException e) {
                quietlyClose(s);
                failures.add(a.getHostAddress() + ": " + e.getMessage());
            }
        }
        // Unreachable is no refusal: the client retries as after any failed connection.
        LOG.log(System.Logger.Level.DEBUG, "egress tunnel: could not connect to {0} port {1}: {2}", target.host(),
                target.port(), String.join("; ", failures));
        return null;
    }

    private void refuse(String host, String reason) {
        LOG.log(System.Logger.Level.DEBUG, "egress tunnel: {0}", reason);
        refusals.put(key(host), reason);
    }

    private void pipe(InputStream fromClient, Socket client, Socket upstream) throws IOException {
        Thread up = Thread.ofVirtual().name("egress-tunnel-up").start(() -> copyThenShutdown(fromClient, upstream));
        try {
            upstream.getInputStream().transferTo(client.getOutputStream());
        } finally {
            up.interrupt();
        }
    }

    private static void copyThenShutdown(InputStream from, Socket to) {
        try {
            from.transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException ignored) {
            // the other direction ends the exchange
        }
    }

    private static Head readHead(InputStream in) throws IOException {
        var bytes = new ByteArrayOutputStream();
        int state = 0; // how much of CR LF CR LF has been seen
        while (state < 4) {
            int b = in.read();
            if (b < 0) throw new SocketException("connection closed before the end of the header");
            if (bytes.size() >= MAX_HEAD) throw new IOException("header larger than " + MAX_HEAD + " bytes");
            bytes.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1
                    : b == '\r' ? 1 : 0;
        }
        String[] lines = bytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        return new Head(lines[0], List.of(lines).subList(1, lines.length));
    }

    private static void reply(OutputStream out, String status) throws IOException {
        out.write(("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String key(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    private static void quietlyClose(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
