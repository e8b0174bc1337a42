package dev.berth.gitsync.external;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Smart HTTP on 127.0.0.1 (or another loopback address) for the bare repositories under a directory: every request runs Debian's
 * {@code git http-backend} as a CGI. A path under {@code /moved/} answers a redirect to
 * {@code redirectHost}, to test that redirects are checked.
 */
public final class GitHttpBackend implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Path root;
    private final Path home;
    private volatile String redirectHost;

    private GitHttpBackend(Path root, Path home, InetAddress bind) throws IOException {
        this.root = root;
        this.home = home;
        server = HttpServer.create(new InetSocketAddress(bind, 0), 16);
        server.setExecutor(pool);
        server.createContext("/", exchange -> {
            try {
                requests.add(exchange.getRequestURI().getPath());
                String path = exchange.getRequestURI().getPath();
                if (path.startsWith("/moved/") && redirectHost != null) {
                    String query = exchange.getRequestURI().getRawQuery();
                    exchange.getResponseHeaders().add("Location", "http://" + redirectHost + path.substring("/moved".length())
                            + (query == null ? "" : "?" + query));
                    exchange.sendResponseHeaders(301, -1);
                } else {
                    cgi(exchange);
                }
            } catch (Exception e) {
                exchange.sendResponseHeaders(500, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    /** Serves the bare repositories under {@code root}; git runs with {@code home} as HOME. */
    public static GitHttpBackend start(Path root, Path home) throws IOException {
        return new GitHttpBackend(root, home, InetAddress.getLoopbackAddress());
    }

    /** Like {@link #start(Path, Path)}, listening on {@code bind}. */
    public static GitHttpBackend start(Path root, Path home, InetAddress bind) throws IOException {
        return new GitHttpBackend(root, home, bind);
    }

    public String url(String repository) {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort() + "/"
                + repository;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    void redirectTo(String host) {
        this.redirectHost = host;
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void cgi(HttpExchange exchange) throws Exception {
        var pb = new ProcessBuilder("git", "http-backend");
        var env = pb.environment();
        env.put("HOME", home.toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("LC_ALL", "C");
        env.put("GIT_PROJECT_ROOT", root.toString());
        env.put("GIT_HTTP_EXPORT_ALL", "1");
        env.put("REQUEST_METHOD", exchange.getRequestMethod());
        env.put("PATH_INFO", exchange.getRequestURI().getPath());
        env.put("QUERY_STRING", exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery());
        env.put("REMOTE_ADDR", "127.0.0.1");
        env.put("SERVER_PROTOCOL", "HTTP/1.1");
        env.put("GATEWAY_INTERFACE", "CGI/1.1");
        for (var h : exchange.getRequestHeaders().entrySet()) {
            String name = h.getKey().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            String value = String.join(", ", h.getValue());
            if (name.equals("CONTENT_TYPE")) env.put("CONTENT_TYPE", value);
            else if (name.equals("CONTENT_LENGTH")) env.put("CONTENT_LENGTH", value);
            else env.put("HTTP_" + name, value);
        }
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        Thread feeder = Thread.ofVirtual().start(() -> {
            try (InputStream in = exchange.getRequestBody(); OutputStream out = p.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // the backend may stop reading early
            }
        });
        InputStream out = p.getInputStream();
        int status = 200;
        while (true) {
            String line = readLine(out);
            if (line == null || line.isEmpty()) break;
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Status")) status = Integer.parseInt(value.substring(0, 3));
            else exchange.getResponseHeaders().add(name, value);
        }
        exchange.sendResponseHeaders(status, 0);
        try (OutputStream body = exchange.getResponseBody()) {
            out.transferTo(body);
        } catch (IOException clientGone) {
            // the client may stop reading (a fetch over its size limit does)
        } finally {
            p.destroy();
        }
        feeder.join();
        p.waitFor(60, TimeUnit.SECONDS);
    }

    private static String readLine(InputStream in) throws IOException {
        var line = new java.io.ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') line.write(b);
        if (b == -1 && line.size() == 0) return null;
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
