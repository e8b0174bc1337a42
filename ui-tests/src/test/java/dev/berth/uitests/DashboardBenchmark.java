package dev.berth.uitests;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard at a company's size: a platform on embedded PostgreSQL seeded with {@code bench.apps}
 * apps in {@code bench.teams} teams, {@code bench.replicas} healthy replicas each on
 * {@code bench.hosts} hosts ({@link DashboardSeed}), and {@code bench.sessions} real headless
 * Chromium sessions that sign in one after another, then all at once, like people, open their
 * team's Apps page, open an App page from the list (scrolled to it, clicked, as a user does), go
 * back to the list, and again, with a think time between clicks. The server
 * round trip of every request is timed inside the platform ({@link ServerRoundTrips}: from Vaadin
 * starting to handle it until its response is written); the requests that navigated to the Apps
 * page and to an App page are reported apart. Memory per session: heap used after a full GC with
 * the sessions open, minus before they opened, divided by their number. The baseline is the same
 * with the {@value #BASELINE_APPS} apps of one team and one session. Runs only when named:
 *
 * <pre>./mvnw -B -o -pl ui-tests -am test -Dtest=DashboardBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * Options: {@code -Dbench.apps=1000 -Dbench.teams=10 -Dbench.replicas=5 -Dbench.hosts=50
 * -Dbench.sessions=20 -Dbench.rounds=5 -Dbench.think-min=1000 -Dbench.think-max=3000 -Dbench.browser-shares=2}
 * (think times in ms; the browsers' CPU weight, see {@link #BROWSER_SHARES}). It also prints
 * the CPU the platform's JVM and the browsers used while measuring ({@link ProcessCpu}).
 */
class DashboardBenchmark {
    private static final int APPS = Integer.getInteger("bench.apps", 1000);
    private static final int TEAMS = Integer.getInteger("bench.teams", 10);
    private static final int REPLICAS = Integer.getInteger("bench.replicas", 5);
    private static final int HOSTS = Integer.getInteger("bench.hosts", 50);
    private static final int SESSIONS = Integer.getInteger("bench.sessions", 20);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final int THINK_MIN_MS = Integer.getInteger("bench.think-min", 1000);
    private static final int THINK_MAX_MS = Integer.getInteger("bench.think-max", 3000);
    /**
     * The browsers' CPU weight ({@code cpu.shares} of their cgroup, {@link BrowserCpuGroup}). People's
     * browsers run on their own machines; here 20 Chromium processes share the platform's 2 cores
     * and, left as they are, used 1.45 of them, so the platform's round trips waited for the
     * browsers' rendering. At 2 they take what the platform and its database leave; {@code
     * -Dbench.browser-shares=0} leaves them where this JVM runs.
     */
    private static final int BROWSER_SHARES = Integer.getInteger("bench.browser-shares", 2);
    private static final int BASELINE_APPS = 10;
    private static final double GOAL_MS = 100;
    private static final Duration SESSION_TIMEOUT = Duration.ofMinutes(5);

    /** What one configuration measured. */
    private record Result(String label, List<Double> appsPage, List<Double> appPage, List<Double> other, double mibPerSession) {
    }

    @Test
    void dashboardAtSize() throws Exception {
        try (var cluster = Cluster.start(Duration.ofHours(1), "--spring.main.sources=" + ServerRoundTrips.class.getName())) {
            var timing = cluster.platform.getBean(ServerRoundTrips.class);
            var seed = new DashboardSeed(cluster.platform.getBean("dataSource", DataSource.class), cluster.image);
            Instant now = Instant.now();
            var hosts = seed.hosts("dashbord", HOSTS, now);
            seed.team(Cluster.TEAM, Cluster.REPOSITORY, DashboardSeed.apps("app", BASELINE_APPS), REPLICAS, hosts, 0, now);
            assertSettled(cluster, Cluster.TEAM, BASELINE_APPS);
            var baseline = measure(cluster, timing, List.of(Cluster.TEAM), BASELINE_APPS, 1,
                    BASELINE_APPS + " apps, 1 session");

            int perTeam = APPS / TEAMS;
            var teams = new ArrayList<String>();
            long seeding = System.nanoTime();
            for (int t = 0; t < TEAMS; t++) {
                String team = "team-%02d".formatted(t);
                cluster.api("POST", "/api/v1/teams", "{\"name\":\"" + team + "\"}", 201);
                cluster.api("POST", "/api/v1/teams/" + team + "/repositories", "{\"name\":\"apps\"}", 201);
                seed.team(team, "apps", DashboardSeed.apps("app", perTeam), REPLICAS, hosts, t * perTeam * REPLICAS, now);
                teams.add(team);
            }
            System.out.printf("seeded %d apps and %d replicas in %.1f s%n", perTeam * TEAMS, perTeam * TEAMS * REPLICAS,
                    (System.nanoTime() - seeding) / 1e9);
            assertSettled(cluster, teams.getFirst(), perTeam);
            var atSize = measure(cluster, timing, teams, perTeam, SESSIONS,
                    perTeam * TEAMS + " apps, " + perTeam * TEAMS * REPLICAS + " replicas, " + SESSIONS + " sessions");
            print(baseline, atSize);
        }
    }

    /** Every seeded app of the team is listed, settled, with all its replicas healthy. */
    private static void assertSettled(Cluster cluster, String team, int apps) throws Exception {
        var list = cluster.api("GET", "/api/v1/teams/" + team + "/apps", null, 200);
        var items = list.isArray() ? list : list.path("items");
        assertThat(items.size()).as("apps listed for " + team).isEqualTo(apps);
        items.forEach(a -> assertThat(a.path("healthy").asInt()).as(a.toString()).isEqualTo(REPLICAS));
    }

    private static Result measure(Cluster cluster, ServerRoundTrips timing, List<String> teams, int appsPerTeam, int sessions,
                                  String label) throws Exception {
        for (String team : teams) cluster.api("GET", "/api/v1/teams/" + team + "/apps", null, 200); // caches filled
        long heapBefore = heapAfterGc();
        var barrier = new CyclicBarrier(sessions + 1);
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        var browsers = new ArrayList<Browser>();
        var group = BROWSER_SHARES > 0 ? BrowserCpuGroup.create(BROWSER_SHARES) : null;
        try {
            // One after another, as people arrive: 20 Chromium processes starting and signing in at
            // once would measure the machine's two cores, not the dashboard.
            long signingIn = System.nanoTime();
            for (int s = 0; s < sessions; s++) {
                Browser browser = Browser.start("dashboard-benchmark-" + s, group);
                browsers.add(browser);
                try {
                    browser.driver.get(cluster.baseUrl + "/login");
                    browser.signIn("admin", Cluster.ADMIN_PASSWORD);
                    browser.driver.get(cluster.baseUrl + "/apps?team=" + teams.get(s % teams.size()));
                    // A first page on a loaded machine takes longer than a click's wait: it is not measured.
                    new WebDriverWait(browser.driver, SESSION_TIMEOUT)
                            .until(ExpectedConditions.presenceOfElementLocated(By.id("apps-grid")));
                    browser.waitForVaadin();
                } catch (RuntimeException | AssertionError e) {
                    browser.screenshot("failure");
                    throw e;
                }
            }
            System.out.printf("%s: %d sessions signed in one after another in %.1f s%n", label, sessions,
                    (System.nanoTime() - signingIn) / 1e9);
            var running = new ArrayList<Future<?>>();
            for (int s = 0; s < sessions; s++) {
                int session = s;
                Browser browser = browsers.get(s);
                String team = teams.get(s % teams.size());
                running.add(pool.submit(() -> {
                    var think = new Random(session);
                    try {
                        round(browser, team, session, appsPerTeam, think); // warm-up, not counted
                        barrier.await(SESSION_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                        barrier.await(SESSION_TIMEOUT.toSeconds(), TimeUnit.SECONDS); // the warm-up's samples are gone
                        for (int r = 1; r <= ROUNDS; r++) round(browser, team, session * 31 + r * 7, appsPerTeam, think);
                        return null;
                    } catch (Exception | AssertionError e) {
                        barrier.reset(); // the others stop waiting for this one
                        browser.screenshot("failure");
                        throw e;
                    }
                }));
            }
            ProcessCpu cpuBefore;
            long measuring;
            try {
                barrier.await(SESSION_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                timing.drain();
                cpuBefore = ProcessCpu.now();
                measuring = System.nanoTime();
                barrier.await(SESSION_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.BrokenBarrierException | java.util.concurrent.TimeoutException e) {
                for (var f : running) { // the session that failed says why
                    try {
                        f.get(1, TimeUnit.MINUTES);
                    } catch (java.util.concurrent.ExecutionException failed) {
                        if (!(failed.getCause() instanceof java.util.concurrent.BrokenBarrierException)) throw failed;
                    } catch (java.util.concurrent.TimeoutException stillRunning) {
                        // a session that waits is not the one that failed
                    }
                }
                throw e;
            }
            for (var f : running) f.get();
            var wall = Duration.ofNanos(System.nanoTime() - measuring);
            System.out.printf("%s: measured rounds took %.1f s; CPU meanwhile: %s; browsers' cpu.shares %s%n", label,
                    wall.toNanos() / 1e9, ProcessCpu.now().since(cpuBefore).perCore(wall),
                    BROWSER_SHARES > 0 ? BROWSER_SHARES : "as this JVM's");
            var samples = timing.drain();
            double perSession = (heapAfterGc() - heapBefore) / (double) sessions / (1 << 20);
            return new Result(label, millis(samples, "AppsView"), millis(samples, "AppView"),
                    samples.stream().filter(s -> s.navigatedTo() == null).map(ServerRoundTrips.Sample::millis).toList(),
                    perSession);
        } finally {
            pool.shutdownNow();
            for (var b : browsers) b.close();
            if (group != null) group.close();
        }
    }

    /**
     * A person's round: a look at the Apps page, a scroll to one app and a click on it, a look at
     * the App page, and back to the list; each look a think time of {@code bench.think-min} to
     * {@code bench.think-max} ms.
     */
    private static void round(Browser browser, String team, int pick, int appsPerTeam, Random think) throws InterruptedException {
        browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("apps-grid")));
        browser.waitForVaadin();
        thinkAbout(think);
        int index = Math.floorMod(pick, appsPerTeam);
        String app = DashboardSeed.apps("app", appsPerTeam).get(index);
        browser.js("document.getElementById('apps-grid').scrollToIndex(arguments[0]);", index);
        browser.openRow("apps-grid", 0, app, "app-title");
        browser.wait.until(d -> browser.text(By.id("app-title")).equals(team + "/" + app));
        browser.waitForVaadin();
        thinkAbout(think);
        browser.driver.navigate().back();
        browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("apps-grid")));
        browser.waitForVaadin();
    }

    private static void thinkAbout(Random think) throws InterruptedException {
        Thread.sleep(THINK_MIN_MS + (THINK_MAX_MS > THINK_MIN_MS ? think.nextInt(THINK_MAX_MS - THINK_MIN_MS) : 0));
    }

    private static List<Double> millis(List<ServerRoundTrips.Sample> samples, String view) {
        return samples.stream().filter(s -> view.equals(s.navigatedTo())).map(ServerRoundTrips.Sample::millis).toList();
    }

    private static long heapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static void print(Result baseline, Result atSize) {
        System.out.println();
        System.out.println("| Server round trip (ms) | " + baseline.label() + " | " + atSize.label() + " |");
        System.out.println("|---|---|---|");
        row("Apps page p50", baseline.appsPage(), atSize.appsPage(), 50);
        row("Apps page p95", baseline.appsPage(), atSize.appsPage(), 95);
        row("App page p50", baseline.appPage(), atSize.appPage(), 50);
        row("App page p95", baseline.appPage(), atSize.appPage(), 95);
        row("other requests p50", baseline.other(), atSize.other(), 50);
        row("other requests p95", baseline.other(), atSize.other(), 95);
        System.out.printf("| requests (Apps / App / other) | %d / %d / %d | %d / %d / %d |%n",
                baseline.appsPage().size(), baseline.appPage().size(), baseline.other().size(),
                atSize.appsPage().size(), atSize.appPage().size(), atSize.other().size());
        System.out.printf("| heap per session (MiB) | %.1f | %.1f |%n", baseline.mibPerSession(), atSize.mibPerSession());
        double apps95 = percentile(atSize.appsPage(), 95);
        double app95 = percentile(atSize.appPage(), 95);
        System.out.printf("goal p95 <= %.0f ms: Apps page %.1f ms %s, App page %.1f ms %s%n", GOAL_MS,
                apps95, apps95 <= GOAL_MS ? "met" : "NOT met", app95, app95 <= GOAL_MS ? "met" : "NOT met");
    }

    private static void row(String what, List<Double> baseline, List<Double> atSize, int percentile) {
        System.out.printf("| %s | %.1f | %.1f |%n", what, percentile(baseline, percentile), percentile(atSize, percentile));
    }

    private static double percentile(List<Double> values, int percentile) {
        if (values.isEmpty()) return Double.NaN;
        var sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
    }
}
