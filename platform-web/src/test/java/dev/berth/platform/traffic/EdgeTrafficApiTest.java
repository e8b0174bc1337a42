package dev.berth.platform.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.berth.platform.Api;
import dev.berth.platform.JoinedAgent;
import dev.berth.platform.DeployedApps;
import dev.berth.platform.MutableClock;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.access.Caller;
import dev.berth.platform.access.Role;
import dev.berth.platform.problem.Problem;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Edges over real HTTP: access logs shipped as streams of their own and read through the app,
 * only from edge hosts and for apps that exist; heartbeats' running totals becoming counters and
 * rates, across an agent's restart.
 */
class EdgeTrafficApiTest extends PlatformTest {
    private static final String PASSWORD = "a-long-enough-password";
    private static final AtomicInteger UNIQUE = new AtomicInteger();

    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;
    @Autowired
    MeterRegistry meters;
    @Autowired
    EdgeTraffic traffic;
    @Autowired
    org.springframework.context.ApplicationContext context;

    private Api api;
    private Api admin;
    private String team;
    private Api viewer;


    @BeforeEach
    void setUp() {
        api = Api.at(port);
        admin = api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
        team = "traffic-" + UNIQUE.incrementAndGet();
        viewer = member(team, team + "-viewer");
        seed(team, "web");
    }

    private Api member(String team, String user) {
        expect(201, admin.post("/api/v1/teams", Map.of("name", team)));
        expect(201, admin.post("/api/v1/users", Map.of("username", user, "password", PASSWORD)));
        expect(201, admin.post("/api/v1/teams/" + team + "/members", Map.of("username", user, "role", "VIEWER")));
        return api.bearer(api.tokenFor(user, PASSWORD));
    }

    private void seed(String team, String app) {
        expect(201, admin.post("/api/v1/teams/" + team + "/repositories", Map.of("name", "site")));
        DeployedApps.in(context).seed(team, "site", app, null);
    }

    private static void expect(int status, Api.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
    }

    private JoinedAgent agent(String hostname) {
        return JoinedAgent.join(api, admin, hostname);
    }

    /** A heartbeat; with {@code traffic} (app to requests, 5xx, bytes) it reports an edge. */
    private static Api.Response beat(JoinedAgent agent, Map<String, long[]> traffic) {
        var body = new HashMap<String, Object>(Map.of("version", 1, "capacity", Map.of("memoryBytes", 1L << 30, "cpuMillis", 1000),
                "containers", List.of()));
        if (traffic != null) {
            var apps = new ArrayList<Map<String, Object>>();
            traffic.forEach((app, t) -> apps.add(Map.of("app", app, "requests", t[0], "serverErrors", t[1], "bytes", t[2])));
            body.put("edge", Map.of("address", "203.0.113.40", "appliedGeneration", 0, "traffic", apps));
        }
        return agent.api().post("/agent/v1/heartbeat", body);
    }

    private static Api.Response ship(JoinedAgent agent, String stream, long offset, String text) {
        return agent.api().post("/agent/v1/logs", Map.of("version", 1,
                "chunks", List.of(Map.of("container", stream, "offset", offset, "text", text))));
    }

    private static List<String> texts(Api.Response r) {
        return StreamSupport.stream(r.json().get("lines").spliterator(), false).map(l -> l.get("text").asString()).toList();
    }

    private double counter(String name) {
        var c = meters.find(name).tags("team", team, "app", "web").counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void anEdgesAccessLogIsReadThroughTheAppPerEdgeHost() {
        var edge = agent("edge-a.test");
        expect(204, beat(edge, Map.of()));
        String line = "2026-12-05T19:40:01.123Z GET /api/orders 200 3.2ms 512B\n";
        expect(204, ship(edge, "edge_" + team + ".web", 0, line));
        expect(204, ship(edge, "edge_" + team + ".web", line.length(), line.replace("200", "503")));

        var sources = viewer.get("/api/v1/teams/" + team + "/apps/web/logs/edges");
        expect(200, sources);
        assertThat(sources.json().get(0).get("hostId").asString()).isEqualTo(edge.hostId());
        assertThat(sources.json().get(0).get("hostname").asString()).isEqualTo("edge-a.test");

        var page = viewer.get("/api/v1/teams/" + team + "/apps/web/logs?edge=" + edge.hostId());
        expect(200, page);
        assertThat(texts(page)).containsExactly(line.strip(), line.replace("200", "503").strip());
        assertThat(page.json().get("replica").isNull()).isTrue();
        long last = page.json().get("last").asLong();
        expect(204, ship(edge, "edge_" + team + ".web", 2L * line.length(), "2026-12-05T19:40:02.000Z GET / 304 0.1ms 0B\n"));
        assertThat(texts(viewer.get("/api/v1/teams/" + team + "/apps/web/logs?edge=" + edge.hostId() + "&after=" + last)))
                .containsExactly("2026-12-05T19:40:02.000Z GET / 304 0.1ms 0B");

        expect(400, viewer.get("/api/v1/teams/" + team + "/apps/web/logs?edge=" + edge.hostId() + "&replica=x"));
        expect(404, viewer.get("/api/v1/teams/" + team + "/apps/web/logs?edge=h-nosuchhost"));
        expect(404, viewer.get("/api/v1/teams/" + team + "/apps/other/logs?edge=" + edge.hostId()));
        expect(401, edge.api().get("/api/v1/teams/" + team + "/apps/web/logs?edge=" + edge.hostId()));

        // Another team's member reaches neither this team's access log nor, through its own team, this one's stream.
        String other = team + "-other";
        var outsider = member(other, other + "-viewer");
        seed(other, "web");
        expect(404, outsider.get("/api/v1/teams/" + team + "/apps/web/logs?edge=" + edge.hostId()));
        expect(404, outsider.get("/api/v1/teams/" + other + "/apps/web/logs?edge=" + edge.hostId()));
        expect(200, outsider.get("/api/v1/teams/" + other + "/apps/web/logs/edges"));
        assertThat(outsider.get("/api/v1/teams/" + other + "/apps/web/logs/edges").json()).isEmpty();
    }

    @Test
    void accessStreamsAreTakenOnlyFromEdgesAndForAppsThatExist() {
        var plain = agent("plain.test");
        expect(204, beat(plain, null));
        var refused = ship(plain, "edge_" + team + ".web", 0, "forged\n");
        expect(403, refused);
        assertThat(refused.json().get("detail").asString()).contains("is no edge");

        var edge = agent("edge-b.test");
        expect(204, beat(edge, Map.of()));
        var noApp = ship(edge, "edge_" + team + ".nosuchapp", 0, "x\n");
        expect(400, noApp);
        assertThat(noApp.json().get("detail").asString()).contains("does not exist");
        expect(400, ship(edge, "edge_" + team + ".web.1", 0, "x\n"));
        expect(400, ship(edge, "edge_Team.web", 0, "x\n"));
        // Nothing of a refused batch is kept, and the host's container logs go on as before.
        expect(204, ship(plain, team + ".web.1.0", 0, "container output\n"));
        expect(404, viewer.get("/api/v1/teams/" + team + "/apps/web/logs?edge=" + plain.hostId()));
        assertThat(viewer.get("/api/v1/teams/" + team + "/apps/web/logs/edges").json()).isEmpty();
    }

    @Test
    void heartbeatTotalsBecomeCountersAndRatesAcrossAnAgentRestart() {
        var edge = agent("edge-c.test");
        String app = team + "/web";
        double requestsBefore = counter("berth.edge.requests");
        // The first report is the baseline: what the edge counted before is not known to be new here.
        expect(204, beat(edge, Map.of(app, new long[] {1000, 10, 50_000})));
        assertThat(counter("berth.edge.requests")).isEqualTo(requestsBefore);

        clock.advance(Duration.ofSeconds(10));
        expect(204, beat(edge, Map.of(app, new long[] {1600, 40, 80_000}, team + "/nosuchapp", new long[] {5, 0, 0})));
        assertThat(counter("berth.edge.requests")).isEqualTo(requestsBefore + 600);
        assertThat(counter("berth.edge.server.errors")).isEqualTo(30);
        assertThat(counter("berth.edge.response.bytes")).isEqualTo(30_000);
        assertThat(meters.find("berth.edge.requests").tags("team", team, "app", "nosuchapp").counter()).isNull();

        // The agent restarted: its totals start again from 0, and all of them are new.
        clock.advance(Duration.ofSeconds(10));
        expect(204, beat(edge, Map.of(app, new long[] {200, 2, 1000})));
        assertThat(counter("berth.edge.requests")).isEqualTo(requestsBefore + 800);
        assertThat(counter("berth.edge.server.errors")).isEqualTo(32);

        var rates = viewer.get("/api/v1/teams/" + team + "/apps/web/traffic");
        expect(200, rates);
        var minute = rates.json().get("rates").get(0);
        assertThat(minute.get("windowSeconds").asLong()).isEqualTo(60);
        // 800 requests and 32 5xx answers in the 20 s since the baseline (and the little real time this test took).
        assertThat(minute.get("requestsPerSecond").asDouble()).isCloseTo(40.0, within(1.0));
        assertThat(minute.get("serverErrorsPerSecond").asDouble()).isCloseTo(1.6, within(0.1));
        assertThat(rates.json().get("rates").get(1).get("windowSeconds").asLong()).isEqualTo(300);

        var prometheus = admin.get("/actuator/prometheus");
        assertThat(prometheus.body()).contains("berth_edge_requests_total{app=\"web\",team=\"" + team + "\"}")
                .contains("berth_edge_server_errors_total{app=\"web\",team=\"" + team + "\"}");

        expect(404, viewer.get("/api/v1/teams/" + team + "/apps/nosuchapp/traffic"));
        expect(401, api.anonymous().get("/api/v1/teams/" + team + "/apps/web/traffic"));

        // The App page's requests chart: the same counts in 10-second buckets, once the newest has ended.
        clock.advance(Duration.ofSeconds(10));
        var member = new Caller(0, team + "-viewer", false, Map.of(team, Role.VIEWER), Optional.empty());
        var recent = traffic.recent(member, team, "web");
        assertThat(recent.bucketSeconds()).isEqualTo(10);
        assertThat(recent.points().stream().mapToDouble(EdgeTraffic.Point::requestsPerSecond).sum() * 10).isCloseTo(800, within(1e-9));
        assertThat(recent.points().stream().mapToDouble(EdgeTraffic.Point::serverErrorsPerSecond).sum() * 10).isCloseTo(32, within(1e-9));
        var outsider = new Caller(0, "outsider", false, Map.of(team + "-other", Role.ADMIN), Optional.empty());
        assertThatThrownBy(() -> traffic.recent(outsider, team, "web")).isInstanceOf(Problem.class);
        assertThatThrownBy(() -> traffic.recent(member, team, "nosuchapp")).isInstanceOf(Problem.NotFound.class);
    }

    @Test
    void badTrafficReportsAreRefusedSayingWhere() {
        var edge = agent("edge-d.test");
        String app = team + "/web";
        assertThat(beat(edge, Map.of("Web", new long[] {1, 0, 0})).json().get("detail").asString())
                .contains("edge.traffic[0].app must name an app as team/app");
        assertThat(beat(edge, Map.of(app, new long[] {1, 2, 0})).json().get("detail").asString())
                .contains("serverErrors is between 0 and requests");
        assertThat(beat(edge, Map.of(app, new long[] {-1, 0, 0})).status()).isEqualTo(400);
        var tooMany = new HashMap<String, long[]>();
        for (int i = 0; i <= dev.berth.agent.protocol.EdgeStatus.MAX_TRAFFIC; i++) tooMany.put(team + "/app-" + i, new long[] {1, 0, 0});
        assertThat(beat(edge, tooMany).json().get("detail").asString()).contains("at most 500 are taken");
    }
}
