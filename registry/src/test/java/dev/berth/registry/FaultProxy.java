package dev.berth.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback HTTP proxy in front of a {@link TestRegistry} that misbehaves on request: it can demand
 * Bearer tokens (serving the token endpoint {@code /token} itself), fail, truncate, corrupt,
 * replace or redirect responses whose path matches a regular expression, slow them down, and it
 * records every request and the peak number of concurrent blob requests.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(registry.host())) {
 *     proxy.failNext("/blobs/", 2, 500);   // next two blob requests get HTTP 500
 *     // point a RegistryClient at proxy.host() (listed as insecure)
 * }
 * }</pre>
 * Path patterns are searched ({@link Matcher#find()}) in the request path.
 */
public final class FaultProxy implements AutoCloseable {

    private static final Pattern REPOSITORY_PATH = Pattern.compile("^/v2/(.+)/(manifests|blobs|tags)/");

    /** One request the proxy received. {@code authorization} is the header as sent, or null. */
    public record Request(String method, String path, String authorization) {
    }

    private sealed interface Fault {
        record Status(int status) implements Fault {
        }

        /** A short body with a matching Content-Length: the response looks complete. */
        record Truncate(long keep) implements Fault {
        }

        /** The full Content-Length is announced, then the connection closes after {@code keep} bytes. */
        record Drop(long keep) implements Fault {
        }

        /** Sends {@code keep} bytes, then nothing for {@code pause}, then the rest. */
        record Stall(long keep, Duration pause) implements Fault {
        }

        record Corrupt() implements Fault {
        }

        record Respond(int status, String contentType, byte[] body) implements Fault {
        }

        record Redirect(String toHost) implements Fault {
        }
    }

    private record Rule(Pattern path, Fault fault, AtomicInteger remaining) {
    }

    private record DelayRule(Pattern path, Duration delay) {
    }

    private final String upstream;
    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient http;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<DelayRule> delays = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final AtomicInteger blobsInFlight = new AtomicInteger();
    private final AtomicInteger maxBlobsInFlight = new AtomicInteger();
    private volatile boolean bearer;
    private volatile Credentials tokenCredentials;

    private FaultProxy(String upstream, java.net.InetAddress bind) throws IOException {
        this.upstream = upstream;
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
        this.server = HttpServer.create(new InetSocketAddress(bind, 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a proxy on 127.0.0.1 with a free port, forwarding to {@code upstreamHost} ({@code host:port}, plain http). */
    public static FaultProxy start(String upstreamHost) throws IOException {
        return new FaultProxy(upstreamHost, java.net.InetAddress.getLoopbackAddress());
    }

    /** Like {@link #start(String)}, listening on {@code bind} (another loopback address, say). */
    public static FaultProxy start(String upstreamHost, java.net.InetAddress bind) throws IOException {
        return new FaultProxy(upstreamHost, bind);
    }

    /** {@code ADDRESS:PORT} of the proxy. */
    public String host() {
        return server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    /** The port the proxy listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Demands Bearer tokens on {@code /v2/...}: requests without a valid token for their repository
     * get 401 with {@code WWW-Authenticate: Bearer realm="http://HOST/token",service="test",scope="repository:REPO:pull"}.
     * {@code /token} issues random tokens for the requested scope, checking HTTP Basic
     * {@code credentials} (null: anyone gets tokens). The Authorization header is not forwarded.
     */
    public FaultProxy requireBearer(Credentials credentials) {
        this.tokenCredentials = credentials;
        this.bearer = true;
        return this;
    }

    /** Answers the next {@code count} requests matching {@code pathRegex} with {@code status}. */
    public FaultProxy failNext(String pathRegex, int count, int status) {
        return add(pathRegex, new Fault.Status(status), count);
    }

    /** Cuts the next {@code count} matching response bodies to {@code keepBytes}, with a consistent Content-Length. */
    public FaultProxy truncateNext(String pathRegex, int count, long keepBytes) {
        return add(pathRegex, new Fault.Truncate(keepBytes), count);
    }

    /** Announces the full length for the next {@code count} matching responses but drops the connection after {@code keepBytes}. */
    public FaultProxy dropNext(String pathRegex, int count, long keepBytes) {
        return add(pathRegex, new Fault.Drop(keepBytes), count);
    }

    /** Sends {@code keepBytes} of the next {@code count} matching responses, then pauses for {@code pause} before the rest. */
    public FaultProxy stallNext(String pathRegex, int count, long keepBytes, Duration pause) {
        return add(pathRegex, new Fault.Stall(keepBytes, pause), count);
    }

    /** Flips one byte in the middle of the next {@code count} matching response bodies. */
    public FaultProxy corruptNext(String pathRegex, int count) {
        return add(pathRegex, new Fault.Corrupt(), count);
    }

    /** Answers every matching request with this response instead of the registry's, until {@link #reset()}. */
    public FaultProxy respond(String pathRegex, int status, String contentType, byte[] body) {
        return add(pathRegex, new Fault.Respond(status, contentType, body.clone()), Integer.MAX_VALUE);
    }

    /** Redirects every matching request (307) to the same path on {@code http://toHost}, until {@link #reset()}. */
    public FaultProxy redirect(String pathRegex, String toHost) {
        return add(pathRegex, new Fault.Redirect(toHost), Integer.MAX_VALUE);
    }

    /** Holds every matching request for {@code delay} before answering it, until {@link #reset()}. */
    public FaultProxy delay(String pathRegex, Duration delay) {
        delays.add(new DelayRule(Pattern.compile(pathRegex), delay));
        return this;
    }

    private FaultProxy add(String pathRegex, Fault fault, int count) {
        rules.add(new Rule(Pattern.compile(pathRegex), fault, new AtomicInteger(count)));
        return this;
    }

    /** Every request received so far, in arrival order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests received so far whose path matches {@code pathRegex}. */
    public List<Request> requests(String pathRegex) {
        Pattern p = Pattern.compile(pathRegex);
        return requests.stream().filter(r -> p.matcher(r.path()).find()).toList();
    }

    /** The most {@code /blobs/} requests that were being answered at the same time. */
    public int maxConcurrentBlobRequests() {
        return maxBlobsInFlight.get();
    }

    /** How many tokens {@code /token} issued. */
    public int tokensIssued() {
        return tokens.size();
    }

    /** Forgets faults, delays, recorded requests, issued tokens and the concurrency peak (bearer mode stays). */
    public void reset() {
        rules.clear();
        delays.clear();
        requests.clear();
        tokens.clear();
        maxBlobsInFlight.set(0);
    }

    @Override
    public void close() {
        server.stop(0);
        http.close();
        executor.shutdownNow();
    }

    // ---- handling

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        requests.add(new Request(ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("Authorization")));
        boolean blob = path.contains("/blobs/");
        if (blob) maxBlobsInFlight.accumulateAndGet(blobsInFlight.incrementAndGet(), Math::max);
        try (ex) {
            if (path.equals("/token")) {
                token(ex);
                return;
            }
            if (bearer && !authorized(ex, path)) {
                Matcher m = REPOSITORY_PATH.matcher(path);
                String scope = m.find() ? ",scope=\"repository:" + m.group(1) + ":pull\"" : "";
                ex.getResponseHeaders().set("WWW-Authenticate",
                        "Bearer realm=\"http://" + host() + "/token\",service=\"test\"" + scope);
                send(ex, 401, "application/json", error("UNAUTHORIZED", "authentication required"));
                return;
            }
            for (DelayRule d : delays) {
                if (d.path().matcher(path).find()) Thread.sleep(d.delay());
            }
            Fault fault = takeFault(path);
            switch (fault) {
                case Fault.Status s -> {
                    send(ex, s.status(), "application/json", error("INJECTED", "injected failure"));
                    return;
                }
                case Fault.Respond r -> {
                    send(ex, r.status(), r.contentType(), r.body());
                    return;
                }
                case Fault.Redirect r -> {
                    ex.getResponseHeaders().set("Location", "http://" + r.toHost() + ex.getRequestURI());
                    send(ex, 307, null, new byte[0]);
                    return;
                }
                case null, default -> forward(ex, fault);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (blob) blobsInFlight.decrementAndGet();
        }
    }

    private Fault takeFault(String path) {
        for (Rule rule : rules) {
            if (rule.path().matcher(path).find()
                    && rule.remaining().getAndUpdate(n -> n > 0 ? (n == Integer.MAX_VALUE ? n : n - 1) : 0) > 0) {
                return rule.fault();
            }
        }
        return null;
    }

    private boolean authorized(HttpExchange ex, String path) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ")) return false;
        String scope = tokens.get(auth.substring("Bearer ".length()));
        if (scope == null) return false;
        Matcher m = REPOSITORY_PATH.matcher(path);
        return !m.find() || scope.contains("repository:" + m.group(1) + ":");
    }

    private void token(HttpExchange ex) throws IOException {
        Credentials required = tokenCredentials;
        if (required != null && !required.basicHeader().equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"token\"");
            send(ex, 401, "application/json", error("UNAUTHORIZED", "bad credentials"));
            return;
        }
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        byte[] random = new byte[16];
        ThreadLocalRandom.current().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        tokens.put(token, query.getOrDefault("scope", ""));
        send(ex, 200, "application/json",
                ("{\"token\":\"" + token + "\",\"expires_in\":300}").getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) return out;
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }

    private void forward(HttpExchange ex, Fault fault) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + upstream + ex.getRequestURI()))
                .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
        for (String name : List.of("Accept", "User-Agent")) {
            String v = ex.getRequestHeaders().getFirst(name);
            if (v != null) b.header(name, v);
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null && !bearer) b.header("Authorization", auth);
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        for (String name : List.of("Content-Type", "Docker-Content-Digest", "WWW-Authenticate", "Location")) {
            r.headers().firstValue(name).ifPresent(v -> ex.getResponseHeaders().set(name,
                    v.replace("http://" + upstream, "http://" + host())));
        }
        byte[] body = r.body();
        boolean head = ex.getRequestMethod().equals("HEAD");
        switch (fault) {
            case Fault.Truncate t -> body = Arrays.copyOf(body, (int) Math.min(body.length, t.keep()));
            case Fault.Corrupt c -> {
                body = body.clone();
                if (body.length > 0) body[body.length / 2] ^= 0x5a;
            }
            case Fault.Drop d -> {
                ex.sendResponseHeaders(r.statusCode(), body.length);
                OutputStream out = ex.getResponseBody();
                out.write(body, 0, (int) Math.min(body.length, d.keep()));
                out.flush();
                // Closing short of the announced length makes the server drop the connection.
                return;
            }
            case Fault.Stall st -> {
                ex.sendResponseHeaders(r.statusCode(), body.length);
                OutputStream out = ex.getResponseBody();
                int keep = (int) Math.min(body.length, st.keep());
                out.write(body, 0, keep);
                out.flush();
                Thread.sleep(st.pause());
                out.write(body, keep, body.length - keep);
                return;
            }
            case null, default -> {
            }
        }
        if (head) {
            r.headers().firstValue("Content-Length").ifPresent(v -> ex.getResponseHeaders().set("Content-Length", v));
            ex.sendResponseHeaders(r.statusCode(), -1);
            return;
        }
        ex.sendResponseHeaders(r.statusCode(), body.length == 0 ? -1 : body.length);
        ex.getResponseBody().write(body);
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) ex.getResponseBody().write(body);
    }

    private static byte[] error(String code, String message) {
        return ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
