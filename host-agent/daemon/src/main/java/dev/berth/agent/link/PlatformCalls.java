package dev.berth.agent.link;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent's HTTP calls to the platform, each with the host's credential as a bearer token, to the
 * instance the caller names (the current one of {@link PlatformInstances}, which hears whether it
 * answered). The one place that sees the credential; it never appears in an exception or log line.
 */
final class PlatformCalls {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** How often a held long poll looks whether the link moved to another instance meanwhile. */
    static final Duration MOVE_CHECK = Duration.ofMillis(250);
    static final JsonMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final PlatformInstances instances;
    private final String credential;
    private final HttpClient http;

    PlatformCalls(PlatformInstances instances, String credential, HttpClient http) {
        this.instances = instances;
        this.credential = credential;
        this.http = http;
    }

    static HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The instance calls go to now. */
    URI platform() {
        return instances.current();
    }

    /** The wait before retrying a call to {@code tried} that failed: the loop's {@code own}, or less after a move to another instance. */
    Duration retryAfter(URI tried, Duration own) {
        return instances.retryAfter(tried, own);
    }

    HttpResponse<String> post(URI platform, String path, Object body) throws IOException, InterruptedException {
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JacksonException e) {
            throw new IOException("cannot write the request: " + e.getOriginalMessage(), e);
        }
        var request = HttpRequest.newBuilder(LinkParts.endpoint(platform, path))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + credential)
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
        return send(platform, request);
    }

    /** The long poll: answered at once when the host's generation is past {@code after}, else within {@code waitSeconds}. */
    HttpResponse<String> assignments(URI platform, long after, int waitSeconds) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(LinkParts.endpoint(platform, "agent/v1/assignments?after=" + after + "&wait=" + waitSeconds))
                .timeout(REQUEST_TIMEOUT.plusSeconds(waitSeconds))
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + credential)
                .GET()
                .build();
        return answered(instances, platform, () -> whileCurrent(platform, request));
    }

    /**
     * The long poll's answer, given up as soon as the link has moved to another instance: a poll
     * held by a hung instance (no answer, no reset) would otherwise keep the link's assignments
     * there until its timeout, long after heartbeats moved on.
     */
    private HttpResponse<String> whileCurrent(URI platform, HttpRequest request) throws IOException, InterruptedException {
        var future = http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        try {
            while (true) {
                try {
                    return future.get(MOVE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillWaiting) {
                    URI now = instances.current();
                    if (!now.equals(platform)) {
                        future.cancel(true);
                        throw new IOException("the link moved to " + now);
                    }
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        }
    }

    private HttpResponse<String> send(URI platform, HttpRequest request) throws IOException, InterruptedException {
        return answered(instances, platform, () -> http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    }

    /** One HTTP exchange with an instance. */
    interface Exchange {
        HttpResponse<String> send() throws IOException, InterruptedException;
    }

    /** The exchange's answer, after telling {@code instances} whether {@code platform} answered it. */
    static HttpResponse<String> answered(PlatformInstances instances, URI platform, Exchange exchange)
            throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = exchange.send();
        } catch (IOException e) {
            instances.failed(platform, describe(e));
            throw e;
        }
        if (PlatformInstances.unavailable(response.statusCode())) {
            instances.failed(platform, "HTTP " + response.statusCode(), RetryAfter.parse(
                    response.headers().firstValue("Retry-After").orElse(null), Instant.now()).orElse(null));
        }
        else instances.worked(platform);
        return response;
    }

    /** {@code ": detail"} of a problem+json body, or nothing. */
    static String detail(String body) {
        String d = detailOf(body);
        return d == null ? "" : ": " + d;
    }

    /** The {@code detail} of a problem+json body, or null. */
    static String detailOf(String body) {
        if (body == null || body.isBlank()) return null;
        try {
            var node = JSON.readTree(body).path("detail");
            return node.isString() && !node.asString().isBlank() ? node.asString() : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
