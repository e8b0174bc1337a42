package dev.berth.platform.notifications;

import dev.berth.registry.network.AddressPolicy;
import dev.berth.registry.network.EgressTunnel;
import dev.berth.registry.network.ForbiddenTargetException;
import dev.berth.registry.network.TargetGuard;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Posts webhook bodies where endpoints point, only to addresses the platform's {@link AddressPolicy}
 * allows (loopback, private, link-local and the platform's own only when an administrator allowed
 * them). The host is resolved and checked before each attempt, so a refusal never opens a
 * connection; the request then goes through an {@link EgressTunnel}, which connects to exactly the
 * address it checked, so a DNS answer that changed in between cannot lead it elsewhere. Redirects
 * are not followed, and at most {@value #KEPT_RESPONSE} characters of an answer are read.
 */
public final class WebhookSender implements AutoCloseable {
    /** How much of a receiver's answer is kept. */
    public static final int KEPT_RESPONSE = 2048;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);

    private final TargetGuard guard;
    private final EgressTunnel tunnel; // null when the policy allows every address
    private final HttpClient http;

    public WebhookSender(AddressPolicy policy) {
        this(new TargetGuard(policy));
    }

    WebhookSender(TargetGuard guard) {
        this.guard = guard;
        var builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1);
        if (guard.policy().allowsEverything()) {
            tunnel = null;
        } else {
            try {
                tunnel = EgressTunnel.start(guard);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the webhook sender's egress tunnel", e);
            }
            builder.proxy(tunnel.proxySelector());
        }
        http = builder.build();
    }

    /** What became of one attempt. */
    public sealed interface Outcome {
        /** The receiver answered; 2xx counts as delivered. */
        record Answered(int code, String body) implements Outcome {
            public boolean delivered() {
                return code >= 200 && code < 300;
            }
        }

        /** No answer: the connection failed or timed out. */
        record NoAnswer(String error) implements Outcome {
        }

        /** Not sent: the host is not one the platform may connect to (no connection was opened). */
        record Refused(String reason) implements Outcome {
        }
    }

    /**
     * Why the platform may not connect to {@code url}'s host, or null when it may; resolves the name.
     *
     * @throws UnknownHostException when the name does not resolve
     */
    public String refusal(URI url) throws IOException {
        try {
            guard.resolve(url.getHost());
            return null;
        } catch (ForbiddenTargetException e) {
            return e.getMessage();
        }
    }

    /** POSTs {@code body} with {@code headers} to {@code url}. */
    public Outcome post(URI url, byte[] body, Map<String, String> headers) {
        try {
            String refused = refusal(url);
            if (refused != null) return new Outcome.Refused(refused);
        } catch (UnknownHostException e) {
            return new Outcome.NoAnswer("host '" + url.getHost() + "' does not resolve");
        } catch (IOException e) {
            return new Outcome.NoAnswer(e.getMessage());
        }
        var request = HttpRequest.newBuilder(url).timeout(RESPONSE_TIMEOUT).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json").header("User-Agent", "Berth-Webhooks");
        headers.forEach(request::header);
        try {
            HttpResponse<InputStream> r = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                // Read no more than is kept; the rest is left unread and the connection closed.
                byte[] start = in.readNBytes(KEPT_RESPONSE);
                // PostgreSQL text holds no NUL; a receiver's answer may.
                return new Outcome.Answered(r.statusCode(), new String(start, StandardCharsets.UTF_8).replace("\u0000", ""));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.NoAnswer("interrupted");
        } catch (IOException e) {
            String why = tunnel == null ? null : tunnel.refusal(url.getHost()).orElse(null);
            if (why != null) return new Outcome.Refused(why);
            return new Outcome.NoAnswer(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    @Override
    public void close() {
        if (tunnel != null) tunnel.close();
        http.close();
    }
}
