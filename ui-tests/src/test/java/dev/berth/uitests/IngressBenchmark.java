package dev.berth.uitests;

import dev.berth.testfixtures.Await;
import dev.berth.testfixtures.PublishedAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * The edge beside the published port, same client, same run: requests per second and latency of
 * GETs to one busybox httpd replica, over HTTPS through the edge (Caddy, by host name, certificate
 * from Pebble) and over plain HTTP straight to the replica's published port, rounds alternating;
 * then push to serving at the app's host name over HTTPS with its certificate issued, beside the
 * moment the published port served the same push. Runs only when named:
 *
 * <pre>./mvnw -o -q -pl ui-tests -am test -Dtest=IngressBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * Options: {@code -Dbench.seconds=8} per round, {@code -Dbench.rounds=3}, {@code -Dbench.pushes=20}.
 */
class IngressBenchmark {
    private static final int SECONDS = Integer.getInteger("bench.seconds", 8);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int PUSHES = Integer.getInteger("bench.pushes", 20);
    private static final String HOST = EdgeCluster.HOST;

    private static String definition(String image, String greeting) {
        return """
                apiVersion: berth/v1
                apps:
                  web:
                    image: %s
                    command: ["/bin/sh", "-c", "echo \\"$GREETING\\" > /tmp/index.html && exec httpd -f -p 8080 -h /tmp"]
                    env: {GREETING: %s}
                    resources: {memory: 64Mi, cpu: 1, pids: 64}
                    ports: [{name: http, port: 8080, publish: true}]
                    health: {http: {port: http, path: /index.html}, interval: 1s, timeout: 1s}
                    tmpfs: {/tmp: 1Mi}
                    routes: [{host: %s, port: http}]
                """.formatted(image, greeting, HOST);
    }

    /** A way to the app: where the client connects, the Host it sends, TLS or not. */
    private record Way(String name, InetSocketAddress address, String host, SSLContext tls) {
        KeepAliveClient client() {
            return new KeepAliveClient(address, host, tls);
        }
    }

    /** What one round of one way measured. */
    private record Round(int connections, long requests, double seconds, List<Double> latenciesMs) {
        double rate() {
            return requests / seconds;
        }
    }

    private static Round round(Way way, int connections) throws Exception {
        var latencies = Collections.synchronizedList(new ArrayList<Double>());
        var requests = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
        var failures = new AtomicLong();
        var threads = new ArrayList<Thread>();
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try (var client = way.client()) {
                    client.get("/"); // connected (and TLS set up) before timing
                    while (System.nanoTime() < end) {
                        long t = System.nanoTime();
                        client.get("/");
                        latencies.add((System.nanoTime() - t) / 1e6);
                        requests.incrementAndGet();
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                    System.err.println(way.name() + ": " + e);
                }
            }));
        }
        for (var t : threads) t.join();
        if (failures.get() > 0) throw new AssertionError(way.name() + ": " + failures.get() + " connections failed");
        return new Round(connections, requests.get(), (System.nanoTime() - start) / 1e9, latencies);
    }

    private static double percentile(List<Double> values, double p) {
        var sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100 * sorted.size()) - 1));
    }

    @Test
    void edgeBesidePublishedPort() throws Exception {
        try (var edge = EdgeCluster.start("23400-23499")) {
            var cluster = edge.cluster;
            cluster.push(definition(cluster.image, "warm-up"), "warm up");
            edge.awaitCertificate("web", HOST, Duration.ofSeconds(120));
            var app = cluster.awaitApp("web", Duration.ofSeconds(60), "one healthy replica",
                    a -> a.path("replicas").size() == 1 && a.path("replicas").get(0).path("state").asString().equals("HEALTHY"));
            String published = app.path("replicas").get(0).path("published").get(0).path("address").asString();
            int colon = published.lastIndexOf(':');
            var straight = new Way("published port (HTTP)", new InetSocketAddress(published.substring(0, colon),
                    Integer.parseInt(published.substring(colon + 1))), published, null);
            var viaEdge = new Way("edge (HTTPS, Caddy)", new InetSocketAddress("127.0.0.1", edge.httpsPort), HOST, edge.trust());
            // The edge serves once its certificate reached it.
            Await.until(Duration.ofSeconds(30), "the edge serves " + HOST, () -> {
                try (var c = viaEdge.client()) {
                    return c.get("/").strip();
                } catch (Exception e) {
                    return e.toString();
                }
            }, "warm-up"::equals);

            System.out.println();
            System.out.printf("IngressBenchmark: %d s rounds, %d rounds per way, alternating; one busybox httpd replica%n", SECONDS, ROUNDS);
            System.out.printf("%-24s %11s %8s %10s %10s %10s%n", "way", "connections", "req/s", "p50 ms", "p99 ms", "requests");
            for (int connections : new int[] {1, 4}) {
                var totals = new java.util.LinkedHashMap<String, List<Round>>();
                for (int r = 0; r < ROUNDS; r++) {
                    for (var way : List.of(straight, viaEdge)) {
                        totals.computeIfAbsent(way.name(), k -> new ArrayList<>()).add(round(way, connections));
                    }
                }
                double baseRate = 0;
                double baseP50 = 0;
                for (var e : totals.entrySet()) {
                    var all = e.getValue().stream().flatMap(x -> x.latenciesMs().stream()).toList();
                    long requests = e.getValue().stream().mapToLong(Round::requests).sum();
                    double seconds = e.getValue().stream().mapToDouble(Round::seconds).sum();
                    double rate = requests / seconds;
                    double p50 = percentile(all, 50);
                    System.out.printf("%-24s %11d %8.0f %10.2f %10.2f %10d%s%n", e.getKey(), connections, rate, p50,
                            percentile(all, 99), requests, baseRate == 0 ? ""
                                    : String.format("   %.2fx rate, %+.2f ms p50", rate / baseRate, p50 - baseP50));
                    if (baseRate == 0) {
                        baseRate = rate;
                        baseP50 = p50;
                    }
                }
            }

            // Push to serving over HTTPS at the host name, beside the published port of the same push.
            var edgeMs = new ArrayList<Double>();
            var publishedMs = new ArrayList<Double>();
            for (int i = 0; i < PUSHES; i++) {
                String greeting = "v" + i;
                long start = System.nanoTime();
                cluster.push(definition(cluster.image, greeting), "push " + i);
                Double atEdge = null;
                Double atPublished = null;
                try (var e = viaEdge.client()) {
                    while (atEdge == null || atPublished == null) {
                        if (atEdge == null && greeting.equals(body(e))) atEdge = (System.nanoTime() - start) / 1e6;
                        if (atPublished == null && greeting.equals(PublishedAddress.fetch(published))) {
                            atPublished = (System.nanoTime() - start) / 1e6;
                        }
                        Thread.sleep(5);
                    }
                }
                edgeMs.add(atEdge);
                publishedMs.add(atPublished);
                // The next push starts from a replaced replica, as the last one left it.
                cluster.awaitApp("web", Duration.ofSeconds(60), "one replica", a -> a.path("replicas").size() == 1);
            }
            System.out.println();
            System.out.printf("push to serving, %d pushes, certificate already issued%n", PUSHES);
            System.out.printf("%-34s %9s %9s %9s%n", "", "p50 ms", "p95 ms", "max ms");
            System.out.printf("%-34s %9.0f %9.0f %9.0f%n", "published port answers (HTTP)", percentile(publishedMs, 50),
                    percentile(publishedMs, 95), Collections.max(publishedMs));
            System.out.printf("%-34s %9.0f %9.0f %9.0f%n", "https://" + HOST + " answers", percentile(edgeMs, 50),
                    percentile(edgeMs, 95), Collections.max(edgeMs));
        }
    }

    /** The edge's answer, or null when it failed (between upstreams a request may: it is asked again). */
    private static String body(KeepAliveClient client) {
        try {
            return client.get("/").strip();
        } catch (Exception e) {
            client.close();
            return null;
        }
    }
}
