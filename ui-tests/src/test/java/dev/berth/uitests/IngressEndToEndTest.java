package dev.berth.uitests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testfixtures.Await;
import dev.berth.testfixtures.GitCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import tools.jackson.databind.JsonNode;

/**
 * Apps at their own host names over HTTPS, with real everything: the platform ordering certificates
 * from Debian's Pebble (the ACME test CA, answering DNS through pebble-challtestsrv), an agent
 * started with {@code --edge} running Debian's Caddy on loopback ports, and curl as the client. One
 * test in the order the issue tells it: a push with a route gets a certificate and answers over
 * HTTPS, HTTP is redirected, rolling and blue-green rollouts under an HTTPS client loop lose no
 * request, a host another team owns is refused, a certificate that cannot be issued says why in the
 * API and on the app's page, and an app removed from berth.yaml is served no more.
 */
class IngressEndToEndTest {
    private static final String HOST = EdgeCluster.HOST;
    private static final String BAD_HOST = "bad.shop.example.com";
    private static final Duration CERTIFICATE = Duration.ofSeconds(120);
    private static final Duration ROLLOUT = Duration.ofSeconds(90);
    private static EdgeCluster edge;
    private static Cluster cluster;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        // Chromium starts while the cluster does; neither needs the other yet.
        var browserReady = SideBySide.begin(() -> Browser.start("ingress"));
        try {
            edge = EdgeCluster.start("22400-22499");
        } catch (Exception | Error e) {
            SideBySide.closeWhenDone(browserReady);
            throw e;
        }
        cluster = edge.cluster;
        browser = SideBySide.result(browserReady);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.close();
        if (edge != null) edge.close();
    }

    private static String definition(String image, String greeting, String strategy, String extraRoutes) {
        return """
                apiVersion: berth/v1
                apps:
                  web:
                    image: %1$s
                    command: ["/bin/sh", "-c", "echo \\"$GREETING\\" > /tmp/index.html && exec httpd -f -p 8080 -h /tmp"]
                    env: {GREETING: %2$s}
                    replicas: 2
                    resources: {memory: 64Mi, cpu: 0.25, pids: 64}
                    ports: [{name: http, port: 8080, publish: true}]
                    health: {http: {port: http, path: /index.html}, interval: 1s, timeout: 1s}
                    tmpfs: {/tmp: 1Mi}
                    deploy: {strategy: %3$s}
                    routes: [{host: %4$s, port: http}%5$s]
                  keep:
                    image: %1$s
                    command: ["/bin/sh", "-c", "exec sleep 100000"]
                    resources: {memory: 32Mi, cpu: 0.1, pids: 16}
                """.formatted(image, greeting, strategy, HOST, extraRoutes);
    }

    /** What curl got: its exit code, the HTTP status (0 when none) and the body. */
    record Answer(int exit, int status, String body) {
        boolean ok(String greeting) {
            return exit == 0 && status == 200 && body.strip().equals(greeting);
        }
    }

    /** An HTTPS GET to the edge as a browser elsewhere would make it: by name, trusting only Pebble's root. */
    static Answer https(String host, String path) throws IOException, InterruptedException {
        return curl("--resolve", host + ":" + edge.httpsPort + ":127.0.0.1", "--cacert", edge.root.toString(),
                "https://" + host + ":" + edge.httpsPort + path);
    }

    private static Answer curl(String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of("curl", "-s", "-S", "--max-time", "5", "-w", "\n%{http_code}"));
        command.addAll(List.of(args));
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        int newline = out.lastIndexOf('\n');
        String code = newline < 0 ? "" : out.substring(newline + 1).strip();
        return new Answer(process.exitValue(), code.matches("[0-9]{3}") ? Integer.parseInt(code) : 0,
                newline < 0 ? out : out.substring(0, newline));
    }

    /** HTTPS requests one after another until stopped, every answer kept. */
    static final class ClientLoop implements AutoCloseable {
        final List<Answer> answers = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread = Thread.ofPlatform().name("https-loop").start(() -> {
            while (running.get()) {
                try {
                    answers.add(https(HOST, "/"));
                } catch (IOException e) {
                    answers.add(new Answer(-1, 0, e.toString()));
                } catch (InterruptedException e) {
                    return;
                }
            }
        });

        List<Answer> failures() {
            return answers.stream().filter(a -> a.exit() != 0 || a.status() != 200).toList();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(15_000);
        }
    }

    /** Waits until the edge answers {@code greeting} for {@code host}: it serves a certificate once its next assignment brought it. */
    private static void awaitAnswer(String host, String greeting) throws InterruptedException {
        Await.until(Duration.ofSeconds(30), "https://" + host + " answers " + greeting, () -> {
            try {
                return https(host, "/");
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, a -> a.ok(greeting));
    }

    private static JsonNode route(JsonNode app, String host) {
        for (var r : app.path("routes")) {
            if (r.path("host").asString().equals(host)) return r;
        }
        return null;
    }

    private static void rollOutUnderLoad(String greeting, String strategy, String before) throws Exception {
        try (var loop = new ClientLoop()) {
            Await.until(Duration.ofSeconds(10), "the loop's first answers", () -> loop.answers.size(), n -> n >= 5);
            long revision = GitCli.revisionOf(cluster.push(definition(cluster.image, greeting, strategy, ""), "to " + greeting));
            cluster.awaitApp("web", ROLLOUT, "revision " + revision + " succeeded",
                    a -> a.path("revision").asLong() == revision && a.path("deployment").path("state").asString().equals("succeeded"));
            Await.until(Duration.ofSeconds(20), "the edge answers " + greeting, () -> loop.answers.isEmpty() ? null
                    : loop.answers.getLast(), a -> a != null && a.ok(greeting));
            loop.close();
            assertThat(loop.failures()).as("%s rollout from %s to %s over %d HTTPS requests", strategy, before, greeting,
                    loop.answers.size()).isEmpty();
            assertThat(loop.answers).allSatisfy(a -> assertThat(a.body().strip()).isIn(before, greeting));
            assertThat(loop.answers.size()).isGreaterThan(20);
        }
    }

    @Test
    void appsAreServedAtTheirHostNamesOverHttpsWithCertificatesFromTheAcmeCa() throws Exception {
        try {
            // A push with a route: the certificate comes from Pebble, the edge answers over HTTPS.
            cluster.push(definition(cluster.image, "v1", "rolling", ""), "route shop.example.com");
            edge.awaitCertificate("web", HOST, CERTIFICATE);
            assertThat(route(cluster.app("web"), HOST).path("certificate").path("issuer").asString()).containsIgnoringCase("pebble");
            awaitAnswer(HOST, "v1");

            // Its default host under the apps domain is served too, with a certificate of its own.
            String byDefault = "web." + Cluster.TEAM + "." + EdgeCluster.APPS_DOMAIN;
            edge.awaitCertificate("web", byDefault, CERTIFICATE);
            awaitAnswer(byDefault, "v1");

            // Plain HTTP is sent to HTTPS, path and query kept.
            var redirect = curl("-o", "/dev/null", "-D", "-", "--resolve", HOST + ":" + edge.httpPort + ":127.0.0.1",
                    "http://" + HOST + ":" + edge.httpPort + "/a/b?c=d");
            assertThat(redirect.status()).isEqualTo(308);
            assertThat(redirect.body()).containsIgnoringCase("location: https://" + HOST + ":" + edge.httpsPort + "/a/b?c=d");

            // Rollouts under an HTTPS client loop lose no request.
            rollOutUnderLoad("v2", "rolling", "v1");
            rollOutUnderLoad("v3", "blue-green", "v2");

            // A host another team owns is refused at the push, with line and column.
            cluster.api("POST", "/api/v1/teams", "{\"name\":\"other\"}", 201);
            cluster.api("POST", "/api/v1/teams/other/repositories", "{\"name\":\"site\"}", 201);
            assertThatThrownBy(() -> cluster.push("other", "site", definition(cluster.image, "x", "rolling", ""), "steal"))
                    .hasMessageContaining("routes[0].host " + HOST + " is not among team other's domains");

            // A certificate that cannot be issued says why, in the API and on the app's page.
            edge.pebble.addA(BAD_HOST, "203.0.113.9");
            cluster.push(definition(cluster.image, "v3", "blue-green", ", {host: " + BAD_HOST + ", port: http}"), "a bad host");
            var failed = cluster.awaitApp("web", CERTIFICATE, "the reason " + BAD_HOST + " has no certificate", a -> {
                var r = route(a, BAD_HOST);
                return r != null && r.path("certificate").path("status").asString().equals("failed");
            });
            assertThat(route(failed, BAD_HOST).path("certificate").path("lastError").asString())
                    .startsWith("DNS for " + BAD_HOST + " points to 203.0.113.9, not to an edge host");

            browser.driver.get(cluster.baseUrl + "/login");
            browser.signIn("admin", Cluster.ADMIN_PASSWORD);
            browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("teams-grid")));
            browser.navigate("Apps", "apps-grid");
            browser.click(By.id("apps-team"));
            browser.pickItem("vaadin-combo-box-item", Cluster.TEAM);
            browser.openRow("apps-grid", 0, "web", "app-title");
            browser.click(By.xpath("//vaadin-tab[normalize-space(.)='Routes']"));
            browser.wait.until(d -> browser.gridRows("routes-grid").size() == 3);
            var rows = browser.gridRows("routes-grid");
            assertThat(rows.get(0).get(0)).isEqualTo(HOST);
            assertThat(rows.get(0).get(2)).containsIgnoringCase("issued by").containsIgnoringCase("pebble");
            assertThat(rows.get(1).get(0)).isEqualTo(BAD_HOST);
            assertThat(rows.get(1).get(2)).isEqualTo("failed");
            assertThat(rows.get(1).get(4)).contains("points to 203.0.113.9, not to an edge host");
            assertThat(rows.get(2).get(0)).isEqualTo("web." + Cluster.TEAM + "." + EdgeCluster.APPS_DOMAIN);
            assertThat(rows.get(2).get(1)).isEqualTo("http (default host)");
            browser.screenshot("routes-and-certificates");

            // The edge's access log reaches the app's Logs tab, its requests the app's rates and the metrics.
            var edgeHostname = cluster.api("GET", "/api/v1/hosts", null, 200).findValues("hostname").stream()
                    .map(JsonNode::asString).findFirst().orElseThrow();
            browser.click(By.xpath("//vaadin-tab[normalize-space(.)='Logs']"));
            browser.click(By.id("logs-replica"));
            browser.pickItem("vaadin-combo-box-item", "Access log on " + edgeHostname);
            browser.wait.until(d -> browser.text(By.id("logs-output")).contains(" GET / 200 "));
            browser.screenshot("access-log");
            var traffic = cluster.api("GET", "/api/v1/teams/" + Cluster.TEAM + "/apps/web/traffic", null, 200);
            assertThat(traffic.path("rates").findValues("requestsPerSecond")).anySatisfy(r -> assertThat(r.asDouble()).isPositive());
            assertThat(cluster.raw("GET", "/actuator/prometheus"))
                    .containsPattern("berth_edge_requests_total\\{app=\"web\",team=\"" + Cluster.TEAM + "\"} [1-9]");
            // The app has routes: its Metrics tab charts the requests the edge counted.
            browser.click(By.xpath("//vaadin-tab[normalize-space(.)='Metrics']"));
            browser.wait.until(d -> Boolean.TRUE.equals(browser.js("const e = document.getElementById('metrics-chart-requests');"
                    + " const u = e && e.__uplot; return !!u && u.data[1].some(v => v > 0);")));
            assertThat(browser.js("return ['cpu', 'memory', 'network', 'restarts', 'requests'].map(id =>"
                    + " document.querySelectorAll('#metrics-chart-' + id + ' .uplot').length)")).isEqualTo(List.of(1L, 1L, 1L, 1L, 1L));
            assertThat(browser.text(By.id("metrics-latest-requests"))).matches("requests [0-9.]+/s · 5xx [0-9.]+/s");
            browser.js("document.getElementById('metrics-box-requests').scrollIntoView()");
            browser.screenshot("metrics-requests");

            // The Hosts page says which host is the edge and that it serves the newest routes.
            var edgeHost = cluster.agent("edge").hostId;
            browser.navigate("Hosts", "hosts-grid");
            // Read in one script: heartbeats redraw the rows under the test.
            browser.wait.until(d -> "edge serves every route at 127.0.0.1".equals(browser.js(
                    "const e = document.getElementById(arguments[0]); return e ? e.textContent + ' ' + e.title : null;",
                    "edge-" + edgeHost)));
            browser.screenshot("hosts-with-an-edge");

            // Keys never reach a log in the clear: the edge agent's log (Caddy's output included) holds none.
            assertThat(Files.readString(cluster.agent("edge").log)).doesNotContain("PRIVATE KEY");

            // The app leaves berth.yaml: the edge serves it no more.
            cluster.push("""
                    apiVersion: berth/v1
                    apps:
                      keep:
                        image: %s
                        command: ["/bin/sh", "-c", "exec sleep 100000"]
                        resources: {memory: 32Mi, cpu: 0.1, pids: 16}
                    """.formatted(cluster.image), "web removed");
            Await.until(Duration.ofSeconds(60), HOST + " no longer served", () -> {
                try {
                    return https(HOST, "/");
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, a -> a.status() != 200);
        } catch (AssertionError | RuntimeException e) {
            browser.screenshot("failure");
            System.err.println("Pebble and challtestsrv said:" + edge.pebble.logs());
            throw e;
        }
    }
}
