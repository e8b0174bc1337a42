package dev.berth.uitests;

import dev.berth.agent.BerthAgent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Push-to-serving latency with the image already on the host: from the start of {@code git push}
 * until the app's published address answers with the pushed revision's content, and until the
 * rollout has converged (the old replica gone). Printed beside the agent's bare container start of
 * the same image on the same host: {@code berth-agent run} through the daemon socket until its
 * published port answers. Runs only when named:
 *
 * <pre>./mvnw -o -q -pl ui-tests -am test -Dtest=PushToServingBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * Options: {@code -Dbench.pushes=20}.
 */
class PushToServingBenchmark {
    private static final int PUSHES = Integer.getInteger("bench.pushes", 20);

    static String definition(String image, String greeting) {
        return """
                apiVersion: berth/v1
                apps:
                  web:
                    image: %s
                    command: ["/bin/sh", "-c", "echo \\"$GREETING\\" > /tmp/index.html && exec httpd -f -p 8080 -h /tmp"]
                    env: {GREETING: %s}
                    resources: {memory: 64Mi, cpu: 0.25, pids: 64}
                    ports: [{name: http, port: 8080, publish: true}]
                    health: {http: {port: http, path: /index.html}, interval: 1s, timeout: 1s}
                    tmpfs: {/tmp: 1Mi}
                """.formatted(image, greeting);
    }

    @Test
    void pushToServing() throws Exception {
        try (var cluster = Cluster.start(Duration.ofSeconds(10))) {
            var agent = cluster.startAgent("a", "23000-23099");
            long first = Cluster.revisionOf(cluster.push(definition(cluster.image, "warm-up"), "Warm up"));
            JsonNode app = converged(cluster, first);
            String address = app.path("replicas").get(0).path("published").get(0).path("address").asString();

            List<Double> serving = new ArrayList<>();
            List<Double> converged = new ArrayList<>();
            for (int i = 0; i < PUSHES; i++) {
                String greeting = "v" + i;
                long start = System.nanoTime();
                long revision = Cluster.revisionOf(cluster.push(definition(cluster.image, greeting), "Push " + i));
                while (!greeting.equals(Cluster.fetch(address))) Thread.sleep(5);
                serving.add(millisSince(start));
                converged(cluster, revision);
                converged.add(millisSince(start));
            }

            List<Double> bare = bareStarts(cluster, agent);
            System.out.printf("%n[push-to-serving] %d pushes, image already on the host, 1 replica, rolling (ms)%n", PUSHES);
            System.out.printf("| | p50 | p95 |%n|---|---|---|%n");
            row("bare agent start (berth-agent run until the port answers)", bare);
            row("push to serving (git push until the new content answers)", serving);
            row("push to converged (old replica gone)", converged);
        }
    }

    /** {@code berth-agent run} of the same image through the daemon socket, until its published port answers; then removed. */
    private static List<Double> bareStarts(Cluster cluster, Cluster.Agent agent) throws Exception {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < PUSHES; i++) {
            int port;
            try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            String name = "bare-" + i;
            long start = System.nanoTime();
            cli(agent, "run", "--name", name, "--app", "bare", "--image", cluster.image, "--memory", "64Mi",
                    "--tmpfs", "/tmp:1Mi", "--publish", "127.0.0.1:" + port + ":8080", "--",
                    "/bin/sh", "-c", "echo bare > /tmp/index.html && exec httpd -f -p 8080 -h /tmp");
            while (!"bare".equals(Cluster.fetch("127.0.0.1:" + port))) Thread.sleep(5);
            out.add(millisSince(start));
            cli(agent, "stop", name);
            cli(agent, "rm", name);
        }
        return out;
    }

    private static void cli(Cluster.Agent agent, String... args) {
        var out = new ByteArrayOutputStream();
        var command = new ArrayList<>(List.of("--state-dir", agent.state.toString()));
        command.addAll(List.of(args));
        int code = BerthAgent.execute(command, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        if (code != 0) throw new AssertionError("berth-agent " + String.join(" ", args) + " failed: " + out);
    }

    private static JsonNode converged(Cluster cluster, long revision) throws Exception {
        return cluster.awaitApp("web", Duration.ofSeconds(60), "revision " + revision + " alone and healthy",
                v -> v.path("revision").asLong() == revision && v.path("replicas").size() == 1
                        && v.path("deployment").path("state").asString().equals("succeeded")
                        && v.path("replicas").get(0).path("revision").asLong() == revision
                        && v.path("replicas").get(0).path("state").asString().equals("HEALTHY"));
    }

    private static double millisSince(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    private static void row(String what, List<Double> samples) {
        System.out.printf("| %s | %.0f | %.0f |%n", what, percentile(samples, 50), percentile(samples, 95));
    }

    private static double percentile(List<Double> samples, int p) {
        var sorted = samples.stream().sorted().toList();
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.clamp(index, 0, sorted.size() - 1));
    }
}
