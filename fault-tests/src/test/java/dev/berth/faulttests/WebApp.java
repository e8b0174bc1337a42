package dev.berth.faulttests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/** The app every fault test deploys: busybox httpd serving a greeting, and what its API view says. */
final class WebApp {
    static final String NAME = "web";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private WebApp() {
    }

    /**
     * berth.yaml for {@code replicas} replicas answering {@code greeting} at /, each taking
     * {@code startSeconds} before it listens, rolled one at a time without going below the count.
     */
    static String definition(String image, String greeting, int replicas, int startSeconds) {
        return """
                apiVersion: berth/v1
                apps:
                  web:
                    image: %s
                    command: ["/bin/sh", "-c", "sleep %d; echo \\"$GREETING\\" > /tmp/index.html && exec httpd -f -p 8080 -h /tmp"]
                    env: {GREETING: %s}
                    replicas: %d
                    resources: {memory: 32Mi, cpu: 0.25, pids: 64}
                    ports: [{name: http, port: 8080, publish: true}]
                    health: {http: {port: http, path: /index.html}, interval: 1s, timeout: 1s}
                    tmpfs: {/tmp: 1Mi}
                    deploy: {strategy: rolling, maxSurge: 1, maxUnavailable: 0, autoRollback: true, healthTimeout: 60s}
                """.formatted(image, startSeconds, greeting, replicas);
    }

    /** The deployment of {@code revision} succeeded: {@code replicas} healthy, serving replicas of it and nothing else. */
    static Predicate<JsonNode> converged(long revision, int replicas) {
        return v -> v.path("revision").asLong() == revision && v.path("replicas").size() == replicas
                && healthy(v) == replicas
                && v.path("deployment").path("state").asString().equals("succeeded")
                && replicas(v).allMatch(r -> r.path("revision").asLong() == revision && r.path("serving").asBoolean());
    }

    static long healthy(JsonNode app) {
        return replicas(app).filter(r -> r.path("state").asString().equals("HEALTHY")).count();
    }

    static Stream<JsonNode> replicas(JsonNode app) {
        var out = new ArrayList<JsonNode>();
        app.path("replicas").forEach(out::add);
        return out.stream();
    }

    /** Every published address of the app's replicas, or of one replica. */
    static List<String> addresses(JsonNode appOrReplica) {
        var out = new ArrayList<String>();
        var replicas = appOrReplica.has("replicas") ? replicas(appOrReplica).toList() : List.of(appOrReplica);
        replicas.forEach(r -> r.path("published").forEach(p -> out.add(p.path("address").asString())));
        return out.stream().distinct().sorted().toList();
    }

    /** GET / on a published address; the body, or null when the request failed in any way. */
    static String fetch(String address, Duration timeout) {
        try {
            var request = HttpRequest.newBuilder(URI.create("http://" + address + "/")).timeout(timeout).GET().build();
            var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body().strip() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
