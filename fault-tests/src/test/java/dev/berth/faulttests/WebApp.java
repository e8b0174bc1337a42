package dev.berth.faulttests;

import dev.berth.testfixtures.AppView;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/** The app every fault test deploys: busybox httpd serving a greeting, and what its API view says. */
final class WebApp {
    static final String NAME = "web";

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
                && AppView.healthy(v) == replicas
                && v.path("deployment").path("state").asString().equals("succeeded")
                && AppView.replicas(v).allMatch(r -> r.path("revision").asLong() == revision && r.path("serving").asBoolean());
    }
}
