package dev.berth.uitests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The App page's Metrics tab against a real platform and agent: an app deployed by a push shows its
 * CPU, memory against its 64 MiB limit, network and restarts as uPlot charts drawn from the samples
 * the agent sends, a new point arrives without a reload, and an app that never ran says it has no
 * samples yet. Screenshots land in target/screenshots/metrics.
 */
class MetricsBrowserTest {
    private static final Duration DEPLOY = Duration.ofSeconds(90);
    /** The agent samples every 10 s; CPU needs two samples, and the shared machine may be slow. */
    private static final Duration SAMPLES = Duration.ofSeconds(90);
    @RegisterExtension
    static final ClusterAndBrowser fixture = new ClusterAndBrowser("metrics");

    /** {@code web} runs; {@code idle} waits for a secret nobody sets, so it never has a sample. */
    static String definition(String image) {
        return """
                apiVersion: berth/v1
                apps:
                  web:
                    image: %1$s
                    command: ["/bin/sh", "-c", "echo ok > /tmp/index.html && exec httpd -f -p 8080 -h /tmp"]
                    resources: {memory: 64Mi, cpu: 0.25, pids: 64}
                    ports: [{name: http, port: 8080, publish: true}]
                    health: {http: {port: http, path: /index.html}, interval: 1s, timeout: 1s}
                    tmpfs: {/tmp: 1Mi}
                  idle:
                    image: %1$s
                    command: ["/bin/sh", "-c", "exec sleep 3600"]
                    secrets: [NEVER_SET]
                    resources: {memory: 32Mi, cpu: 0.1, pids: 16}
                """.formatted(image);
    }

    /** For each chart: whether uPlot drew it (a canvas), its series' names and how many points each has a value at. */
    private static final String CHARTS = """
            const out = {};
            for (const id of ['cpu', 'memory', 'network', 'restarts']) {
              const el = document.getElementById('metrics-chart-' + id);
              const u = el && el.__uplot;
              out[id] = u ? {canvases: el.querySelectorAll('canvas').length, charts: el.querySelectorAll('.uplot').length,
                             width: el.querySelector('canvas').width,
                             labels: u.series.slice(1).map(s => s.label),
                             values: u.data.slice(1).map(d => d.filter(v => v != null).length)} : null;
            }
            return out;""";

    /** The newest x value with a memory sample, and whether the chart is the one marked before. */
    private static final String NEWEST_MEMORY = """
            const u = document.getElementById('metrics-chart-memory').__uplot;
            let t = null;
            u.data[0].forEach((x, i) => { if (u.data[1][i] != null) t = x; });
            return {newest: t, marked: u.__marked === true, pageMarked: window.__notReloaded === true,
                    limit: u.data[2].filter(v => v != null).slice(-1)[0]};""";

    @Test
    @SuppressWarnings("unchecked")
    void chartsShowTheSamplesAgentsSendAndFollowThemLive() throws Exception {
        try {
            fixture.cluster.startAgent("a", "22700-22799");
            fixture.browser.driver.get(fixture.cluster.baseUrl + "/login");
            fixture.browser.signIn("admin", Cluster.ADMIN_PASSWORD);
            fixture.browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("teams-grid")));
            fixture.browser.navigate("Apps", "apps-grid");
            fixture.cluster.push(definition(fixture.cluster.image), "Deploy web and idle");
            fixture.browser.openRow("apps-grid", 0, "web", "app-title");
            var deploy = fixture.browser.waitFor(DEPLOY);
            deploy.until(d -> fixture.browser.text(By.id("app-revision")).contains("1/1 healthy"));

            openTab("Metrics");
            var samples = fixture.browser.waitFor(SAMPLES);
            samples.until(d -> fixture.browser.text(By.id("metrics-latest-memory")).matches("used [1-9][0-9.]* (KiB|MiB) · limit 64\\.0 MiB")
                    && fixture.browser.text(By.id("metrics-latest-cpu")).matches("used [0-9.]+ cores"));
            assertThat(fixture.browser.text(By.id("metrics-latest-restarts"))).isEqualTo("restarts 0");
            assertThat(fixture.browser.driver.findElements(By.id("metrics-empty"))).noneMatch(e -> e.isDisplayed());
            // The app has no routes: no requests chart.
            assertThat(fixture.browser.driver.findElements(By.id("metrics-box-requests"))).noneMatch(e -> e.isDisplayed());

            var charts = (Map<String, Map<String, Object>>) fixture.browser.js(CHARTS);
            assertThat(charts.get("memory").get("labels")).isEqualTo(List.of("used", "limit"));
            assertThat(charts.get("network").get("labels")).isEqualTo(List.of("received", "sent"));
            for (var id : List.of("cpu", "memory", "network", "restarts")) {
                var chart = charts.get(id);
                assertThat(chart).as(() -> "uPlot chart " + id + "; uPlot " + fixture.browser.js("return typeof window.uPlot")
                        + ", console " + fixture.browser.severeLines()).isNotNull();
                assertThat((Long) chart.get("canvases")).as("canvases of %s", id).isPositive();
                assertThat(chart.get("charts")).as("uPlot charts in #metrics-chart-%s", id).isEqualTo(1L);
                assertThat((Long) chart.get("width")).as("canvas width of %s", id).isGreaterThan(200);
                assertThat((List<Long>) chart.get("values")).as("values of %s", id).allMatch(n -> n > 0);
            }
            assertThat(fixture.browser.js("return performance.getEntriesByType('resource')"
                    + ".some(e => e.name.endsWith('/webjars/uplot/1.6.30/dist/uPlot.iife.min.js'))")).isEqualTo(true);
            fixture.browser.screenshot("metrics");

            // Live: a newer sample reaches the same chart on the same page.
            fixture.browser.js("document.getElementById('metrics-chart-memory').__uplot.__marked = true; window.__notReloaded = true;");
            var before = (Map<String, Object>) fixture.browser.js(NEWEST_MEMORY);
            assertThat(before.get("limit")).isEqualTo(64L * 1024 * 1024);
            samples.until(d -> {
                var now = (Map<String, Object>) fixture.browser.js(NEWEST_MEMORY);
                return (Long) now.get("newest") > (Long) before.get("newest");
            });
            var after = (Map<String, Object>) fixture.browser.js(NEWEST_MEMORY);
            assertThat(after.get("marked")).as("the chart was updated, not made again").isEqualTo(true);
            assertThat(after.get("pageMarked")).as("the page was not reloaded").isEqualTo(true);
            fixture.browser.screenshot("metrics-live");

            // Another range and back: the same charts show the other window's points.
            fixture.browser.click(By.xpath("//vaadin-radio-button[normalize-space(.)='24 h']"));
            fixture.browser.wait.until(d -> fixture.browser.driver.findElements(By.id("metrics-empty")).stream().anyMatch(e -> e.isDisplayed())
                    || fixture.browser.text(By.id("metrics-latest-memory")).contains("limit 64.0 MiB"));
            if (fixture.browser.driver.findElements(By.id("metrics-empty")).stream().anyMatch(e -> e.isDisplayed())) {
                // The app is minutes old: its samples are not summed into minutes yet, and the panel says so.
                assertThat(fixture.browser.text(By.id("metrics-empty"))).startsWith("No samples in 1-minute buckets yet");
            }
            fixture.browser.screenshot("metrics-24h");
            fixture.browser.click(By.xpath("//vaadin-radio-button[normalize-space(.)='1 h']"));
            fixture.browser.wait.until(d -> fixture.browser.text(By.id("metrics-latest-memory")).contains("limit 64.0 MiB"));
            var back = (Map<String, Object>) fixture.browser.js(NEWEST_MEMORY);
            assertThat(back.get("marked")).as("the chart was given the other window, not made again").isEqualTo(true);
            assertThat((Long) back.get("newest")).isGreaterThanOrEqualTo((Long) after.get("newest"));

            // An app that never ran: the empty state.
            fixture.browser.navigate("Apps", "apps-grid");
            fixture.browser.openRow("apps-grid", 0, "idle", "app-title");
            openTab("Metrics");
            fixture.browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("metrics-empty")));
            assertThat(fixture.browser.text(By.id("metrics-empty")))
                    .isEqualTo("No samples yet — agents send one every 10 s while a replica runs.");
            fixture.browser.screenshot("metrics-empty");

            // The tab opened on an app that has samples: each chart is made once, with them.
            fixture.browser.navigate("Apps", "apps-grid");
            fixture.browser.openRow("apps-grid", 0, "web", "app-title");
            openTab("Metrics");
            fixture.browser.wait.until(d -> fixture.browser.text(By.id("metrics-latest-memory")).contains("limit 64.0 MiB"));
            fixture.browser.waitForVaadin();
            var reopened = (Map<String, Map<String, Object>>) fixture.browser.js(CHARTS);
            for (var id : List.of("cpu", "memory", "network", "restarts")) {
                assertThat(reopened.get(id)).as("uPlot chart %s", id).isNotNull();
                assertThat(reopened.get(id).get("charts")).as("uPlot charts in #metrics-chart-%s", id).isEqualTo(1L);
            }
            fixture.browser.screenshot("metrics-reopened");

            // The dashboard has no favicon (a 404 before this tab existed); nothing else may have failed.
            assertThat(fixture.browser.severeLines()).as("the browser's console errors")
                    .allMatch(line -> line.contains("/favicon.ico "));
        } catch (AssertionError | RuntimeException e) {
            fixture.browser.screenshot("failure");
            throw e;
        }
    }

    private void openTab(String label) {
        fixture.browser.click(By.xpath("//vaadin-tab[normalize-space(.)='" + label + "']"));
    }
}
