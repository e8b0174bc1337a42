package dev.berth.platform.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.JoinedAgent;
import dev.berth.platform.MutableClock;
import dev.berth.platform.PlatformTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Container logs over real HTTP: agents post them under their own host, team members read them
 * through the app's replica, user tokens and agent credentials stay on their own side, the tail
 * stays bounded, oversized bodies are refused, and logs of containers long gone are pruned.
 */
class ContainerLogsApiTest extends PlatformTest {
    private static final String PASSWORD = "a-long-enough-password";
    private static final AtomicInteger UNIQUE = new AtomicInteger();

    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ContainerLogs logs;
    @Autowired
    ConfigurableApplicationContext context;
    @Autowired
    dev.berth.platform.repositories.DefinitionReview review;
    @Autowired
    dev.berth.platform.repositories.RepositoryStore repositories;
    @Autowired
    dev.berth.platform.deployments.DeploymentStore deployments;
    @Autowired
    dev.berth.platform.deployments.ReplicaStore replicas;

    private Api api;
    private Api admin;
    private String team;
    private Api viewer;


    @BeforeEach
    void setUp() {
        api = Api.at(port);
        admin = api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
        team = "logs-" + UNIQUE.incrementAndGet();
        expect(201, admin.post("/api/v1/teams", Map.of("name", team)));
        String user = team + "-viewer";
        expect(201, admin.post("/api/v1/users", Map.of("username", user, "password", PASSWORD)));
        expect(201, admin.post("/api/v1/teams/" + team + "/members", Map.of("username", user, "role", "VIEWER")));
        viewer = api.bearer(api.tokenFor(user, PASSWORD));
    }

    private static void expect(int status, Api.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
    }

    private JoinedAgent agent(String hostname) {
        return JoinedAgent.join(api, admin, hostname);
    }

    /**
     * Records the containers as replicas of the app in the deployer's record (which is what logs are
     * read through) and reports them in a heartbeat, as {@code name -> TEAM.APP}.
     */
    private void heartbeat(JoinedAgent agent, Map<String, String> containers) {
        var seeder = new dev.berth.platform.DeployedApps(review, repositories, deployments, replicas);
        if (repositories.find(team, "logs").isEmpty()) expect(201, admin.post("/api/v1/teams/" + team + "/repositories", Map.of("name", "logs")));
        var byApp = new java.util.TreeMap<String, java.util.List<String>>();
        containers.forEach((name, teamApp) -> byApp.computeIfAbsent(teamApp.substring(teamApp.indexOf('.') + 1),
                k -> new java.util.ArrayList<>()).add(name));
        byApp.forEach((app, names) -> seeder.seed(team, "logs", app, agent.hostId(), names.toArray(String[]::new)));
        report(agent, containers);
    }

    private static void report(JoinedAgent agent, Map<String, String> containers) {
        var reported = containers.entrySet().stream()
                .map(e -> Map.<String, Object>of("name", e.getKey(), "app", e.getValue(), "state", "running", "oomKilled", false))
                .toList();
        expect(204, agent.api().post("/agent/v1/heartbeat", Map.of("version", 1,
                "capacity", Map.of("memoryBytes", 1L << 30, "cpuMillis", 1000), "containers", reported)));
    }

    private static Map<String, Object> chunk(String container, long offset, String text) {
        return Map.of("container", container, "offset", offset, "text", text);
    }

    private static Api.Response post(JoinedAgent agent, List<Map<String, Object>> chunks) {
        return agent.api().post("/agent/v1/logs", Map.of("version", 1, "chunks", chunks));
    }

    private String replica(int n) {
        return team + ".web." + n + ".0";
    }

    private Api.Response read(Api caller, String app, String replica, String query) {
        return caller.get("/api/v1/teams/" + team + "/apps/" + app + "/logs?replica=" + replica + query);
    }

    private static List<String> texts(Api.Response r) {
        return StreamSupport.stream(r.json().get("lines").spliterator(), false).map(l -> l.get("text").asString()).toList();
    }

    private static List<Long> seqs(Api.Response r) {
        return StreamSupport.stream(r.json().get("lines").spliterator(), false).map(l -> l.get("seq").asLong()).toList();
    }

    private int storedLines(String hostId, String container) {
        return jdbc.sql("SELECT count(*) FROM container_log_lines WHERE host_id = ? AND container = ?")
                .params(hostId, container).query(Integer.class).single();
    }

    @Test
    void logsArriveAndAreReadBackInOrderAndFollowed() {
        var agent = agent("logs-a.test");
        String web = replica(1);
        heartbeat(agent, Map.of(web, team + ".web"));
        var arrived = new CopyOnWriteArrayList<LogsArrived>();
        ApplicationListener<PayloadApplicationEvent<LogsArrived>> listener = e -> arrived.add(e.getPayload());
        context.addApplicationListener(listener);
        try {
            expect(204, post(agent, List.of(chunk(web, 0, "one\ntwo\nthr"))));
            expect(204, post(agent, List.of(chunk(web, 12, "ee\nfour\n"))));

            var page = read(viewer, "web", web, "");
            expect(200, page);
            assertThat(texts(page)).containsExactly("one", "two", "three", "four");
            assertThat(seqs(page)).isSorted().doesNotHaveDuplicates();
            assertThat(page.json().get("hostId").asString()).isEqualTo(agent.hostId());
            assertThat(page.json().get("lines").get(0).get("receivedAt").asString()).isNotBlank();
            long last = page.json().get("last").asLong();
            assertThat(last).isEqualTo(seqs(page).getLast());

            var nothingNew = read(viewer, "web", web, "&after=" + last);
            assertThat(texts(nothingNew)).isEmpty();
            assertThat(nothingNew.json().get("last").asLong()).isEqualTo(last);

            expect(204, post(agent, List.of(chunk(web, 21, "five\nsix\n"))));
            var followed = read(viewer, "web", web, "&after=" + last);
            assertThat(texts(followed)).containsExactly("five", "six");
            assertThat(seqs(followed).getFirst()).isGreaterThan(last);
            assertThat(texts(read(viewer, "web", web, "&limit=2"))).containsExactly("five", "six");

            assertThat(arrived.stream().filter(e -> e.hostId().equals(agent.hostId())).toList()).hasSize(3)
                    .last().isEqualTo(new LogsArrived(agent.hostId(), web, followed.json().get("last").asLong()));
        } finally {
            context.removeApplicationListener(listener);
        }
    }

    @Test
    void aRotatedLogIsAcceptedAndAResentChunkIsTakenOnce() {
        var agent = agent("logs-b.test");
        String web = replica(1);
        heartbeat(agent, Map.of(web, team + ".web"));
        expect(204, post(agent, List.of(chunk(web, 100, "a\nb\n"))));
        expect(204, post(agent, List.of(chunk(web, 100, "a\nb\n"))));
        // Offset 0 again: the log was rotated; an unfinished line is closed as it stands.
        expect(204, post(agent, List.of(chunk(web, 0, "c\nunfinished"), chunk(web, 0, "d\n"))));
        assertThat(texts(read(viewer, "web", web, ""))).containsExactly("a", "b", "c", "unfinished", "d");
    }

    @Test
    void userTokensCannotPostLogsAndAgentCredentialsCannotReadThem() {
        var agent = agent("logs-c.test");
        String web = replica(1);
        heartbeat(agent, Map.of(web, team + ".web"));
        expect(204, post(agent, List.of(chunk(web, 0, "secret output\n"))));
        var body = Map.of("version", 1, "chunks", List.of(chunk(web, 20, "forged\n")));

        for (var caller : List.of(admin, viewer, api.anonymous())) {
            var refused = caller.post("/agent/v1/logs", body);
            expect(401, refused);
            assertThat(refused.contentType()).startsWith("application/problem+json");
        }
        var agentReading = read(agent.api(), "web", web, "");
        expect(401, agentReading);
        assertThat(agentReading.contentType()).startsWith("application/problem+json");
        expect(401, read(api.anonymous(), "web", web, ""));

        String outsider = team + "-outsider";
        expect(201, admin.post("/api/v1/users", Map.of("username", outsider, "password", PASSWORD)));
        var notMember = read(api.bearer(api.tokenFor(outsider, PASSWORD)), "web", web, "");
        expect(404, notMember);
        assertThat(notMember.body()).doesNotContain("secret output");
        expect(404, read(viewer, "other", web, ""));
        expect(404, read(viewer, "web", team + ".web.9.0", ""));
        var noReplica = viewer.get("/api/v1/teams/" + team + "/apps/web/logs");
        expect(400, noReplica);
        assertThat(noReplica.json().get("detail").asString()).contains("replica is required");
        assertThat(texts(read(viewer, "web", web, ""))).containsExactly("secret output");
    }

    @Test
    void oneAgentCannotWriteAnotherHostsContainersLogs() {
        var a = agent("logs-d1.test");
        var b = agent("logs-d2.test");
        String web = replica(1);
        heartbeat(a, Map.of(web, team + ".web"));
        expect(204, post(a, List.of(chunk(web, 0, "from a\n"))));
        // B names A's container: it is kept under B's host, where no replica of A's is read from.
        expect(204, post(b, List.of(chunk(web, 7, "from b\n"))));
        assertThat(texts(read(viewer, "web", web, ""))).containsExactly("from a");
        assertThat(storedLines(a.hostId(), web)).isEqualTo(1);
        assertThat(storedLines(b.hostId(), web)).isEqualTo(1);
        assertThat(logs.tail(a.hostId(), web, 10)).extracting(LogLine::text).containsExactly("from a");
    }

    @Test
    void theTailStaysBoundedByLinesAndBytes() {
        var agent = agent("logs-e.test");
        String many = replica(1);
        String wide = replica(2);
        heartbeat(agent, Map.of(many, team + ".web", wide, team + ".web"));

        long offset = 0;
        for (int batch = 0; batch < 5; batch++) {
            var text = new StringBuilder();
            for (int i = batch * 500; i < (batch + 1) * 500; i++) text.append("line ").append(i).append('\n');
            expect(204, post(agent, List.of(chunk(many, offset, text.toString()))));
            offset += text.length();
        }
        var tail = read(viewer, "web", many, "&limit=5000");
        assertThat(texts(tail)).hasSize(2000);
        assertThat(texts(tail).getFirst()).isEqualTo("line 500");
        assertThat(texts(tail).getLast()).isEqualTo("line 2499");
        assertThat(storedLines(agent.hostId(), many)).isEqualTo(2000);

        // 1000-byte lines: 1048 of them fit in 1 MiB.
        String line = "x".repeat(999);
        offset = 0;
        for (int batch = 0; batch < 3; batch++) {
            var text = new StringBuilder();
            for (int i = 0; i < 500; i++) text.append(line).append(batch).append('\n');
            expect(204, post(agent, List.of(chunk(wide, offset, text.toString()))));
            offset += text.length();
        }
        assertThat(storedLines(agent.hostId(), wide)).isEqualTo(1048);
        long bytes = jdbc.sql("SELECT sum(octet_length(text)) FROM container_log_lines WHERE host_id = ? AND container = ?")
                .params(agent.hostId(), wide).query(Long.class).single();
        assertThat(bytes).isLessThanOrEqualTo(1L << 20);
        assertThat(logs.tail(agent.hostId(), wide, 1).getFirst().text()).isEqualTo(line + "2");
    }

    @Test
    void oversizedBodiesAreRefusedWith413AndStoreNothing() throws Exception {
        var agent = agent("logs-f.test");
        String web = replica(1);
        heartbeat(agent, Map.of(web, team + ".web"));
        var huge = Map.of("version", 1, "chunks", List.of(chunk(web, 0, "y".repeat(1 << 20) + "\n")));

        var withLength = post(agent, List.of(chunk(web, 0, "y".repeat(1 << 20) + "\n")));
        expect(413, withLength);
        assertThat(withLength.contentType()).startsWith("application/problem+json");
        assertThat(withLength.json().get("detail").asString()).contains("at most 1048576 bytes");

        // Without a Content-Length (chunked transfer) the limit holds while reading.
        byte[] json = Api.JSON.writeValueAsBytes(huge);
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/agent/v1/logs"))
                .header("Authorization", agent.api().authorization()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(json))).build();
        try (var http = HttpClient.newHttpClient()) {
            var chunked = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);
            assertThat(chunked.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        }
        assertThat(storedLines(agent.hostId(), web)).isZero();
    }

    @Test
    void invalidLogsAreRefusedSayingWhereAndNothingIsStored() {
        var agent = agent("logs-g.test");
        String web = replica(1);
        heartbeat(agent, Map.of(web, team + ".web"));

        var version = agent.api().post("/agent/v1/logs", Map.of("version", 2, "chunks", List.of(chunk(web, 0, "x\n"))));
        expect(400, version);
        assertThat(version.json().get("detail").asString()).contains("version 2");

        var badName = post(agent, List.of(chunk(web, 0, "kept?\n"), chunk("Not A Name", 0, "x\n")));
        expect(400, badName);
        assertThat(badName.contentType()).startsWith("application/problem+json");
        assertThat(badName.json().get("detail").asString()).contains("chunks[1].container");
        var negative = post(agent, List.of(chunk(web, -1, "x\n")));
        expect(400, negative);
        assertThat(negative.json().get("detail").asString()).contains("chunks[0].offset");

        var malformed = agent.api().send("POST", "/agent/v1/logs", null, Map.of("Content-Type", "application/json"));
        expect(400, malformed);
        var broken = rawPost(agent, "{\"version\": 1, \"chunks\": [{\"container\": \"" + web + "\", \"offset\": \"soon\"}]}");
        expect(400, broken);
        assertThat(broken.json().get("detail").asString()).contains("line 1");
        assertThat(storedLines(agent.hostId(), web)).isZero();
    }

    private Api.Response rawPost(JoinedAgent agent, String json) {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/agent/v1/logs"))
                .header("Authorization", agent.api().authorization()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
        try (var http = HttpClient.newHttpClient()) {
            var r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Api.Response(r.statusCode(), r.body(), r.headers());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aQuietUnfinishedLineIsKeptAsItStands() {
        var agent = agent("logs-h.test");
        String web = replica(1);
        heartbeat(agent, Map.of(web, team + ".web"));
        expect(204, post(agent, List.of(chunk(web, 0, "done\nprompt> "))));
        assertThat(texts(read(viewer, "web", web, ""))).containsExactly("done");

        var quiet = Duration.ofSeconds(31);
        clock.advance(quiet);
        try {
            logs.maintain();
        } finally {
            clock.advance(quiet.negated());
        }
        assertThat(texts(read(viewer, "web", web, ""))).containsExactly("done", "prompt> ");
        expect(204, post(agent, List.of(chunk(web, 13, "answer\n"))));
        assertThat(texts(read(viewer, "web", web, ""))).containsExactly("done", "prompt> ", "answer");
    }

    @Test
    void logsOfContainersGoneForADayArePruned() {
        var agent = agent("logs-i.test");
        String gone = replica(1);
        String stays = replica(2);
        heartbeat(agent, Map.of(gone, team + ".web", stays, team + ".web"));
        expect(204, post(agent, List.of(chunk(gone, 0, "bye\n"), chunk(stays, 0, "hi\n"))));
        logs.maintain();
        assertThat(goneSince(agent.hostId(), gone)).isNull();

        heartbeat(agent, Map.of(stays, team + ".web"));
        logs.maintain();
        assertThat(goneSince(agent.hostId(), gone)).isNotNull();
        assertThat(goneSince(agent.hostId(), stays)).isNull();

        var moved = new ArrayList<Duration>();
        try {
            moved.add(Duration.ofHours(23));
            clock.advance(moved.getLast());
            logs.maintain();
            assertThat(storedLines(agent.hostId(), gone)).as("gone for 23 hours: kept").isEqualTo(1);

            moved.add(Duration.ofHours(2));
            clock.advance(moved.getLast());
            heartbeat(agent, Map.of(stays, team + ".web"));
            logs.maintain();
            assertThat(storedLines(agent.hostId(), gone)).as("gone for 25 hours: pruned").isZero();
            assertThat(streamExists(agent.hostId(), gone)).isFalse();
            assertThat(storedLines(agent.hostId(), stays)).as("reported again: kept").isEqualTo(1);
            assertThat(goneSince(agent.hostId(), stays)).isNull();
        } finally {
            moved.forEach(d -> clock.advance(d.negated()));
        }
    }

    private java.sql.Timestamp goneSince(String hostId, String container) {
        return jdbc.sql("SELECT gone_since FROM container_log_streams WHERE host_id = ? AND container = ?")
                .params(hostId, container).query(java.sql.Timestamp.class).optional().orElse(null);
    }

    private boolean streamExists(String hostId, String container) {
        return jdbc.sql("SELECT count(*) FROM container_log_streams WHERE host_id = ? AND container = ?")
                .params(hostId, container).query(Integer.class).single() == 1;
    }
}
