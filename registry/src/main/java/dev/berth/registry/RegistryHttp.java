package dev.berth.registry;

import dev.berth.image.ImageReference;
import dev.berth.registry.network.EgressTunnel;
import dev.berth.registry.network.ForbiddenTargetException;
import dev.berth.registry.network.TargetGuard;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import tools.jackson.databind.JsonNode;

/**
 * The registry client's HTTP: GETs under {@code /v2/}, authenticated on a challenge, redirects
 * followed by hand (Authorization stays with its origin), every address checked against the
 * target policy (through the egress tunnel when not everything is allowed), bodies guarded
 * against stalling, unexpected answers turned into {@link RegistryException}s.
 */
final class RegistryHttp implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    // Until response headers arrive; a body stream has no overall limit, large layers take long.
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_ERROR_BODY = 8 * 1024;
    private static final int CHUNK = 64 * 1024;

    private final RegistryConfig config;
    private final HttpClient http;
    private final Duration idleTimeout;
    private final ScheduledExecutorService stallTimer;
    private final RegistryAuth auth;
    private final TargetGuard targets;
    private final EgressTunnel tunnel; // null when every address is allowed

    /**
     * @param idleTimeout how long a response body may deliver nothing before the attempt is abandoned
     * @param resolver    how the egress tunnel resolves host names (tests answer without DNS)
     */
    RegistryHttp(RegistryConfig config, Clock clock, Duration idleTimeout, TargetGuard.Resolver resolver) {
        this.config = config;
        this.idleTimeout = idleTimeout;
        this.stallTimer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("registry-stall-timer").factory());
        this.targets = new TargetGuard(config.targets(), resolver);
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER); // followed by hand, to drop Authorization across hosts
        if (config.targets().allowsEverything()) {
            this.tunnel = null;
        } else {
            // The client would resolve names again when connecting; through the tunnel it reaches exactly the checked address.
            try {
                this.tunnel = EgressTunnel.start(targets);
            } catch (IOException e) {
                stallTimer.shutdownNow();
                throw new java.io.UncheckedIOException("cannot start the registry client's egress tunnel", e);
            }
            builder.proxy(tunnel.proxySelector());
        }
        this.http = builder.build();
        this.auth = new RegistryAuth(config, clock, this::exchange);
    }

    /** {@code body}, failing once it delivers nothing for the idle timeout. */
    InputStream guard(InputStream body) {
        return new StallGuard(body, idleTimeout, stallTimer);
    }

    /** GETs {@code /v2/<repository>/<path>}, authenticating on a 401 challenge. The caller closes the body. */
    HttpResponse<InputStream> send(ImageReference repo, String path, String accept) throws IOException {
        String registry = repo.registry();
        URI uri = URI.create(scheme(registry) + "://" + registry + "/v2/" + repo.repository() + "/" + path);
        String scope = "repository:" + repo.repository() + ":pull";
        String presented = this.auth.cached(registry, scope);
        HttpResponse<InputStream> r = exchange(uri, accept, presented);
        if (r.statusCode() != 401) return r;
        String header = r.headers().firstValue("WWW-Authenticate").orElse(null);
        discard(r);
        AuthChallenge challenge;
        try {
            challenge = AuthChallenge.parse(header);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(registry, repo.repository(), "registry demands authentication we cannot provide: "
                    + e.getMessage(), 401);
        }
        String fresh = this.auth.authorize(repo, scope, challenge, presented);
        r = exchange(uri, accept, fresh);
        if (r.statusCode() == 401) {
            discard(r);
            this.auth.forget(registry, scope);
            throw RegistryAuth.failed(repo, "the registry refused the " + (challenge instanceof AuthChallenge.Basic
                    ? "credentials" : "token") + " (wrong credentials, or no access to " + repo.repository() + ")");
        }
        return r;
    }

    private String scheme(String registry) {
        return config.isInsecure(registry) ? "http" : "https";
    }

    /** One GET, following redirects; Authorization only goes to the origin it was meant for. */
    private HttpResponse<InputStream> exchange(URI uri, String accept, String authorization) throws IOException {
        URI current = uri;
        for (int hops = 0; ; hops++) {
            // Every hop: the registry, each redirect and token service are checked before any byte goes to them.
            // With a tunnel only the name is checked here: the tunnel resolves once and checks what it connects to.
            try {
                if (tunnel != null) targets.checkName(current.getHost());
            } catch (ForbiddenTargetException e) {
                throw new RegistryException(current.getRawAuthority(), null, e.getMessage(), 0, e);
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(current).GET().timeout(RESPONSE_TIMEOUT)
                    .header("User-Agent", "berth-agent");
            if (accept != null) b.header("Accept", accept);
            if (authorization != null) b.header("Authorization", authorization);
            // No h2c upgrade attempts against plain-http registries.
            if ("http".equals(current.getScheme())) b.version(HttpClient.Version.HTTP_1_1);
            HttpResponse<InputStream> r;
            try {
                r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Retries.interrupted("request to " + current.getRawAuthority(), e);
            } catch (IOException e) {
                // The tunnel answers a refused host with a failed tunnel or a closed connection; say why instead.
                String refusal = tunnel == null ? null : tunnel.refusal(current.getHost()).orElse(null);
                if (refusal != null) throw new RegistryException(current.getRawAuthority(), null, refusal, 0, e);
                throw e;
            }
            int status = r.statusCode();
            if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) return r;
            String location = r.headers().firstValue("Location").orElse(null);
            discard(r);
            if (location == null) throw new IOException("redirect (HTTP " + status + ") without Location from "
                    + current.getRawAuthority());
            if (hops >= MAX_REDIRECTS) throw new IOException("more than " + MAX_REDIRECTS + " redirects from "
                    + uri.getRawAuthority());
            URI next = current.resolve(location);
            if (!"https".equals(next.getScheme()) && !"http".equals(next.getScheme())) {
                throw new IOException("redirect to unsupported URL scheme " + next.getScheme());
            }
            if ("https".equals(current.getScheme()) && "http".equals(next.getScheme())) {
                throw new IOException("refusing redirect from https to plain http at " + next.getRawAuthority());
            }
            if (!Objects.equals(next.getScheme(), uri.getScheme())
                    || !Objects.equals(next.getRawAuthority(), uri.getRawAuthority())) {
                authorization = null;
            }
            current = next;
        }
    }

    static void checkOk(ImageReference repo, String what, HttpResponse<InputStream> r) throws IOException {
        if (r.statusCode() == 200) return;
        throw statusFailure(repo, what, r, r.body());
    }

    /** The exception for an unexpected status; transient for 5xx, 408 and 429. */
    static RegistryException statusFailure(ImageReference repo, String what, HttpResponse<?> r, InputStream body) {
        int status = r.statusCode();
        String detail = errorDetail(body);
        String message = switch (status) {
            case 404 -> what + " not found";
            case 403 -> what + ": access denied";
            default -> what + " failed";
        } + (detail.isEmpty() ? "" : ": " + detail);
        if (status >= 500 || status == 408 || status == 429) {
            Duration retryAfter = r.headers().firstValueAsLong("Retry-After").stream()
                    .mapToObj(Duration::ofSeconds).findFirst().orElse(null);
            return new TransientRegistryException(repo.registry(), repo.repository(), message, status, retryAfter, null);
        }
        return new RegistryException(repo.registry(), repo.repository(), message, status);
    }

    // Registries explain failures as {"errors":[{"code":..,"message":..}]}.
    private static String errorDetail(InputStream body) {
        try {
            byte[] bytes = body.readNBytes(MAX_ERROR_BODY);
            JsonNode root = Json.object(bytes, "error");
            List<String> parts = new ArrayList<>();
            for (JsonNode e : root.path("errors")) {
                String code = Json.text(e, "code");
                String message = Json.text(e, "message");
                parts.add((code != null ? code : "") + (code != null && message != null ? " " : "")
                        + (message != null ? message : ""));
            }
            return String.join("; ", parts);
        } catch (IOException | IllegalArgumentException e) {
            return "";
        }
    }

    private static void discard(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            in.readNBytes(MAX_ERROR_BODY);
        } catch (IOException ignored) {
            // only draining so the connection can be reused
        }
    }

    @FunctionalInterface
    interface TooLarge {
        RegistryException get();
    }

    /** Reads at most {@code limit} bytes; one more means the body is too large and reading stops. */
    static byte[] readBounded(InputStream in, long limit, TooLarge tooLarge) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[CHUNK];
        long total = 0;
        for (int n; (n = in.read(buf, 0, (int) Math.min(buf.length, limit + 1 - total))) > 0; ) {
            total += n;
            if (total > limit) throw tooLarge.get();
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }


    @Override
    public void close() {
        http.close();
        stallTimer.shutdownNow();
        if (tunnel != null) tunnel.close();
    }
}
