package dev.berth.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.DeployedApps;
import dev.berth.platform.PlatformTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import dev.berth.gitsync.definition.Definition;
import dev.berth.platform.deployments.DeploymentStore;
import dev.berth.platform.deployments.ReplicaStore;
import dev.berth.platform.repositories.DefinitionReview;
import dev.berth.platform.repositories.RepositoryStore;

/**
 * Every kind of caller against every endpoint, over real HTTP: each cell asserts the status the
 * role model promises. 404 means "as if the team did not exist", 403 "known, not allowed".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RbacMatrixTest extends PlatformTest {
    private static final String TEAM = "rbac-alpha";
    private static final String OTHER_TEAM = "rbac-beta";
    private static final String PASSWORD = "a-long-enough-password";
    private static final String TARGET = "rbac-target";

    private static final String APP = "rbac-app";
    private static final String REPLICA = TEAM + "." + APP + ".rbac";
    private static final Map<String, Object> LOGS = Map.of("version", 1,
            "chunks", List.of(Map.of("container", REPLICA, "offset", 0, "text", "started\n")));

    @LocalServerPort
    int port;
    @Autowired
    DefinitionReview review;
    @Autowired
    RepositoryStore repositories;
    @Autowired
    DeploymentStore deployments;
    @Autowired
    ReplicaStore replicas;

    private long revision;
    private String replica;
    private String hostId;
    /** A host of no replicas, drained and undrained by the matrix. */
    private String idleHostId;
    /** A webhook endpoint of TEAM. */
    private long notificationEndpoint;
    /** A fresh host for each removal. */
    private volatile String doomedHostId;

    private Api api;
    private Api root;
    private final Map<String, Api> callers = new LinkedHashMap<>();
    private final AtomicInteger unique = new AtomicInteger();

    @BeforeAll
    void setUp() {
        api = Api.at(port);
        root = api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
        for (String user : List.of("rbac-viewer", "rbac-deployer", "rbac-admin", "rbac-other-admin", "rbac-outsider", TARGET)) {
            expect(201, root.post("/api/v1/users", Map.of("username", user, "password", PASSWORD)));
        }
        expect(201, root.post("/api/v1/teams", Map.of("name", TEAM)));
        expect(201, root.post("/api/v1/teams", Map.of("name", OTHER_TEAM)));
        expect(201, root.post("/api/v1/teams/" + TEAM + "/members", Map.of("username", "rbac-viewer", "role", "VIEWER")));
        expect(201, root.post("/api/v1/teams/" + TEAM + "/members", Map.of("username", "rbac-deployer", "role", "DEPLOYER")));
        expect(201, root.post("/api/v1/teams/" + TEAM + "/members", Map.of("username", "rbac-admin", "role", "ADMIN")));
        expect(201, root.post("/api/v1/teams/" + OTHER_TEAM + "/members", Map.of("username", "rbac-other-admin", "role", "ADMIN")));
        expect(201, root.post("/api/v1/teams/" + TEAM + "/repositories", Map.of("name", "rbac-signed")));
        runReplicaWithLogs();
        idleHostId = registerHost("rbac-idle.test");

        seedApp();
        // Its URL is never called: nothing sends host.lost yet.
        var endpoint = root.post("/api/v1/teams/" + TEAM + "/notifications", Map.of("name", "rbac", "url", "http://127.0.0.1:9/hook",
                "events", List.of("host.lost")));
        expect(201, endpoint);
        notificationEndpoint = endpoint.json().get("endpoint").get("id").asLong();

        callers.put("anonymous", api.anonymous());
        callers.put("viewer", userToken("rbac-viewer"));
        callers.put("deployer", userToken("rbac-deployer"));
        callers.put("team admin", userToken("rbac-admin"));
        callers.put("other team's admin", userToken("rbac-other-admin"));
        callers.put("no team", userToken("rbac-outsider"));
        callers.put("platform admin", root);
        callers.put("team admin token narrowed to VIEWER", narrowed("rbac-admin", TEAM, "VIEWER"));
        callers.put("deployer token narrowed to the team", narrowed("rbac-deployer", TEAM, null));
        callers.put("platform admin token narrowed to team ADMIN", narrowed("admin", TEAM, "ADMIN"));
        callers.put("platform admin token narrowed to other team", narrowed("admin", OTHER_TEAM, "ADMIN"));
    }

    /** A host whose agent reports a replica of TEAM's app and forwarded a line of its log. */
    private void runReplicaWithLogs() {
        var token = root.post("/api/v1/hosts/join-tokens", Map.of());
        expect(201, token);
        var registered = api.anonymous().post("/agent/v1/register", Map.of("version", 1, "joinToken",
                token.json().get("token").asString(), "hostname", "rbac-host.test",
                "capacity", Map.of("memoryBytes", 1L << 30, "cpuMillis", 1000), "agentVersion", "test"));
        expect(201, registered);
        hostId = registered.json().get("hostId").asString();
        var agent = api.bearer(registered.json().get("credential").asString());
        expect(204, agent.post("/agent/v1/heartbeat", Map.of("version", 1, "capacity", Map.of("memoryBytes", 1L << 30,
                "cpuMillis", 1000), "containers", List.of(Map.of("name", REPLICA, "app", TEAM + "." + APP, "state", "running",
                "oomKilled", false)))));
        expect(204, agent.post("/agent/v1/logs", LOGS));
    }

    /** A host that joined with a fresh join token and never reported; its id. */
    private String registerHost(String hostname) {
        var token = root.post("/api/v1/hosts/join-tokens", Map.of());
        expect(201, token);
        var registered = api.anonymous().post("/agent/v1/register", Map.of("version", 1, "joinToken",
                token.json().get("token").asString(), "hostname", hostname,
                "capacity", Map.of("memoryBytes", 1L << 30, "cpuMillis", 1000), "agentVersion", "test"));
        expect(201, registered);
        return registered.json().get("hostId").asString();
    }

    /**
     * A deployed app without a registry or agents: a revision recorded as a push records one (which
     * creates its deployment), and a replica of it on the host {@link #runReplicaWithLogs} registered.
     */
    private void seedApp() {
        var seeded = new DeployedApps(review, repositories, deployments, replicas).seed(TEAM, "rbac-signed", APP, hostId, REPLICA);
        revision = seeded.revision();
        replica = seeded.replicas().getFirst();
    }

    private Api userToken(String user) {
        return api.bearer(api.tokenFor(user, user.equals("admin") ? ADMIN_PASSWORD : PASSWORD));
    }

    private Api narrowed(String user, String team, String role) {
        var body = new LinkedHashMap<String, Object>();
        body.put("name", "narrowed");
        body.put("team", team);
        if (role != null) body.put("role", role);
        var r = userToken(user).post("/api/v1/tokens", body);
        expect(201, r);
        return api.bearer(r.json().get("token").asString());
    }

    private static void expect(int status, Api.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
    }

    /** One endpoint: how to call it, what to reset before each call, and the expected status per caller. */
    private record Row(String name, Supplier<Request> request, Runnable before, Map<String, Integer> expected) {
    }

    private record Request(String method, String path, Object body) {
    }

    private static Map<String, Integer> statuses(int anonymous, int viewer, int deployer, int teamAdmin, int otherAdmin,
                                                 int outsider, int platformAdmin, int adminAsViewer, int deployerNarrowed,
                                                 int platformNarrowed, int platformNarrowedElsewhere) {
        var m = new LinkedHashMap<String, Integer>();
        m.put("anonymous", anonymous);
        m.put("viewer", viewer);
        m.put("deployer", deployer);
        m.put("team admin", teamAdmin);
        m.put("other team's admin", otherAdmin);
        m.put("no team", outsider);
        m.put("platform admin", platformAdmin);
        m.put("team admin token narrowed to VIEWER", adminAsViewer);
        m.put("deployer token narrowed to the team", deployerNarrowed);
        m.put("platform admin token narrowed to team ADMIN", platformNarrowed);
        m.put("platform admin token narrowed to other team", platformNarrowedElsewhere);
        return m;
    }

    private void ensureTargetMember() {
        expect(201, root.post("/api/v1/teams/" + TEAM + "/members", Map.of("username", TARGET, "role", "VIEWER")));
    }

    private List<Row> rows() {
        String t = "/api/v1/teams/" + TEAM;
        Runnable none = () -> { };
        return List.of(
                //                                                    anon viewer deployer tAdmin other outsider pAdmin adminAsViewer deployerN pNarrow pElsewhere
                new Row("list teams", () -> new Request("GET", "/api/v1/teams", null), none,
                        statuses(401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
                new Row("get team", () -> new Request("GET", t, null), none,
                        statuses(401, 200, 200, 200, 404, 404, 200, 200, 200, 200, 404)),
                new Row("list members", () -> new Request("GET", t + "/members", null), none,
                        statuses(401, 200, 200, 200, 404, 404, 200, 200, 200, 200, 404)),
                new Row("get member", () -> new Request("GET", t + "/members/rbac-viewer", null), none,
                        statuses(401, 200, 200, 200, 404, 404, 200, 200, 200, 200, 404)),
                new Row("add member", () -> new Request("POST", t + "/members", Map.of("username", TARGET, "role", "VIEWER")),
                        () -> root.delete(t + "/members/" + TARGET),
                        statuses(401, 403, 403, 201, 404, 404, 201, 403, 403, 201, 404)),
                new Row("change role", () -> new Request("PUT", t + "/members/" + TARGET, Map.of("role", "DEPLOYER")),
                        this::ensureTargetMember,
                        statuses(401, 403, 403, 200, 404, 404, 200, 403, 403, 200, 404)),
                new Row("remove member", () -> new Request("DELETE", t + "/members/" + TARGET, null),
                        this::ensureTargetMember,
                        statuses(401, 403, 403, 204, 404, 404, 204, 403, 403, 204, 404)),
                new Row("create repository", () -> new Request("POST", t + "/repositories",
                        Map.of("name", "rbac-repo-" + unique.incrementAndGet())), none,
                        statuses(401, 403, 403, 201, 404, 404, 201, 403, 403, 201, 404)),
                new Row("list repositories", () -> new Request("GET", t + "/repositories", null), none,
                        statuses(401, 200, 200, 200, 404, 404, 200, 200, 200, 200, 404)),
                new Row("read signing", () -> new Request("GET", t + "/repositories/rbac-signed/signing", null), none,
                        statuses(401, 200, 200, 200, 404, 404, 200, 200, 200, 200, 404)),
                new Row("change signing", () -> new Request("PUT", t + "/repositories/rbac-signed/signing", Map.of("required", false)),
                        none, statuses(401, 403, 403, 200, 404, 404, 200, 403, 403, 200, 404)),
                new Row("app revisions", () -> new Request("GET", t + "/apps/web/revisions", null), none,
                        statuses(401, 200, 200, 200, 404, 404, 200, 200, 200, 200, 404)),
                new Row("app logs", () -> new Request("GET", t + "/apps/" + APP + "/logs?replica=" + REPLICA, null), none,
                        statuses(401, 200, 200, 200, 404, 404, 200, 200, 200, 200, 404)),
                new Row("app access log edges", () -> new Request("GET", t + "/apps/" + APP + "/logs/edges", null), none,
                        statuses(401, 200, 200, 200, 404, 404, 200, 200, 200, 200, 404)),
                // No edge shipped this app's access log: members learn that, others learn nothing.
                new Row("app access log", () -> new Request("GET", t + "/apps/" + APP + "/logs?edge=h-rbac", null), none,
                        statuses(401, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
                new Row("app traffic", () -> new Request("GET", t + "/apps/" + APP + "/traffic", null), none,
                        statuses(401, 200, 200, 200, 404, 404, 200, 200, 200, 200, 404)),
                new Row("app metrics", () -> new Request("GET", t + "/apps/" + APP + "/metrics?step=60", null), none,
                        statuses(401, 200, 200, 200, 404, 404, 200, 200, 200, 200, 404)),
                new Row("post logs as an agent", () -> new Request("POST", "/agent/v1/logs", LOGS), none,
                        statuses(401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401)),
                // Only agents (with their own credential, see AgentCertificatesTest): users and anonymous callers are refused.
                new Row("renew an agent certificate", () -> new Request("POST", "/agent/v1/certificate",
                        Map.of("version", 1, "publicKey", "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE")), none,
                        statuses(401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401)),
                new Row("list apps", () -> new Request("GET", t + "/apps", null), none,
                        statuses(401, 200, 200, 200, 404, 404, 200, 200, 200, 200, 404)),
                new Row("get app", () -> new Request("GET", t + "/apps/" + APP, null), none,
                        statuses(401, 200, 200, 200, 404, 404, 200, 200, 200, 200, 404)),
                new Row("app deployments", () -> new Request("GET", t + "/apps/" + APP + "/deployments", null), none,
                        statuses(401, 200, 200, 200, 404, 404, 200, 200, 200, 200, 404)),
                new Row("replica isolation", () -> new Request("GET", t + "/apps/" + APP + "/replicas/" + replica + "/isolation", null),
                        none, statuses(401, 200, 200, 200, 404, 404, 200, 200, 200, 200, 404)),
                // A revision that does not define the app: those allowed to roll back are told so (400).
                new Row("rollback", () -> new Request("POST", t + "/apps/" + APP + "/rollback",
                        Map.of("revision", revision + 1_000_000, "reason", "matrix")), none,
                        statuses(401, 403, 400, 400, 404, 404, 400, 403, 400, 400, 404)),
                new Row("list secrets", () -> new Request("GET", t + "/apps/" + APP + "/secrets", null), none,
                        statuses(401, 200, 200, 200, 404, 404, 200, 200, 200, 200, 404)),
                new Row("set secret", () -> new Request("PUT", t + "/apps/" + APP + "/secrets/RBAC_SECRET", Map.of("value", "v")),
                        none, statuses(401, 403, 200, 200, 404, 404, 200, 403, 200, 200, 404)),
                new Row("delete secret", () -> new Request("DELETE", t + "/apps/" + APP + "/secrets/RBAC_SECRET", null),
                        () -> root.put(t + "/apps/" + APP + "/secrets/RBAC_SECRET", Map.of("value", "v")),
                        statuses(401, 403, 204, 204, 404, 404, 204, 403, 204, 204, 404)),
                new Row("read egress allow-list", () -> new Request("GET", t + "/network/egress-allow", null), none,
                        statuses(401, 200, 200, 200, 404, 404, 200, 200, 200, 200, 404)),
                // Platform admins only, and only through a token not narrowed to a team; outsiders do not learn the team exists.
                new Row("replace egress allow-list", () -> new Request("PUT", t + "/network/egress-allow",
                        Map.of("ranges", List.of("10.20.0.0/16"))), none,
                        statuses(401, 403, 403, 403, 404, 404, 200, 403, 403, 403, 404)),
                new Row("read team domains", () -> new Request("GET", t + "/domains", null), none,
                        statuses(401, 200, 200, 200, 404, 404, 200, 200, 200, 200, 404)),
                new Row("replace team domains", () -> new Request("PUT", t + "/domains",
                        Map.of("domains", List.of("*.rbac-matrix.example.com"))), none,
                        statuses(401, 403, 403, 403, 404, 404, 200, 403, 403, 403, 404)),
                new Row("app network", () -> new Request("GET", t + "/apps/" + APP + "/network", null), none,
                        statuses(401, 200, 200, 200, 404, 404, 200, 200, 200, 200, 404)),
                new Row("app certificates", () -> new Request("GET", t + "/apps/" + APP + "/certificates", null), none,
                        statuses(401, 200, 200, 200, 404, 404, 200, 200, 200, 200, 404)),
                // A host the app does not route: those allowed to upload are told so (400).
                new Row("upload certificate", () -> new Request("PUT", t + "/apps/" + APP + "/certificates/rbac.example.com",
                        Map.of("certificate", "x", "key", "y")), none,
                        statuses(401, 403, 400, 400, 404, 404, 400, 403, 400, 400, 404)),
                // Nothing uploaded: those allowed to delete hear that (404); viewers that they may not.
                new Row("delete uploaded certificate", () -> new Request("DELETE", t + "/apps/" + APP
                        + "/certificates/rbac.example.com", null), none,
                        statuses(401, 403, 404, 404, 404, 404, 404, 403, 404, 404, 404)),
                // Team admins only: endpoint URLs of chat webhooks are secrets themselves.
                new Row("list notification endpoints", () -> new Request("GET", t + "/notifications", null), none,
                        statuses(401, 403, 403, 200, 404, 404, 200, 403, 403, 200, 404)),
                new Row("create notification endpoint", () -> new Request("POST", t + "/notifications", Map.of("name", "refused",
                        "url", "http://10.0.0.1/hook", "events", List.of("deployment.failed"))), none,
                        statuses(401, 403, 403, 400, 404, 404, 400, 403, 403, 400, 404)),
                new Row("get notification endpoint", () -> new Request("GET", t + "/notifications/" + notificationEndpoint, null),
                        none, statuses(401, 403, 403, 200, 404, 404, 200, 403, 403, 200, 404)),
                new Row("update notification endpoint", () -> new Request("PUT", t + "/notifications/" + notificationEndpoint,
                        Map.of("name", "rbac", "url", "http://127.0.0.1:9/hook", "events", List.of("host.lost"))), none,
                        statuses(401, 403, 403, 200, 404, 404, 200, 403, 403, 200, 404)),
                new Row("delete notification endpoint", () -> new Request("DELETE", t + "/notifications/999999999", null), none,
                        statuses(401, 403, 403, 404, 404, 404, 404, 403, 403, 404, 404)),
                new Row("notification deliveries", () -> new Request("GET", t + "/notifications/" + notificationEndpoint
                        + "/deliveries", null), none, statuses(401, 403, 403, 200, 404, 404, 200, 403, 403, 200, 404)),
                new Row("resend notification delivery", () -> new Request("POST", t + "/notifications/" + notificationEndpoint
                        + "/deliveries/999999999/resend", Map.of()), none,
                        statuses(401, 403, 403, 404, 404, 404, 404, 403, 403, 404, 404)),
                // Not paused: those allowed hear so (409).
                new Row("resume notification endpoint", () -> new Request("POST", t + "/notifications/" + notificationEndpoint
                        + "/resume", Map.of()), none, statuses(401, 403, 403, 409, 404, 404, 409, 403, 403, 409, 404)),
                new Row("create team", () -> new Request("POST", "/api/v1/teams", Map.of("name", "rbac-new-" + unique.incrementAndGet())),
                        none, statuses(401, 403, 403, 403, 403, 403, 201, 403, 403, 403, 403)),
                new Row("create user", () -> new Request("POST", "/api/v1/users",
                        Map.of("username", "rbac-user-" + unique.incrementAndGet(), "password", PASSWORD)),
                        none, statuses(401, 403, 403, 403, 403, 403, 201, 403, 403, 403, 403)),
                new Row("reset a password", () -> new Request("PUT", "/api/v1/users/" + TARGET + "/password",
                        Map.of("newPassword", PASSWORD)), none, statuses(401, 403, 403, 403, 403, 403, 204, 403, 403, 403, 403)),
                new Row("list users", () -> new Request("GET", "/api/v1/users", null), none,
                        statuses(401, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403)),
                new Row("read team audit", () -> new Request("GET", "/api/v1/audit?team=" + TEAM, null), none,
                        statuses(401, 403, 403, 200, 404, 404, 200, 403, 403, 200, 404)),
                new Row("read audit", () -> new Request("GET", "/api/v1/audit", null), none,
                        statuses(401, 403, 403, 200, 200, 403, 200, 403, 403, 200, 200)),
                new Row("verify audit", () -> new Request("GET", "/api/v1/audit/verify", null), none,
                        statuses(401, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403)),
                // Platform admins only, and only through a token not narrowed to a team.
                new Row("list sso group rules", () -> new Request("GET", "/api/v1/sso/group-rules", null), none,
                        statuses(401, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403)),
                new Row("create sso group rule", () -> new Request("POST", "/api/v1/sso/group-rules",
                        Map.of("group", "rbac-group-" + unique.incrementAndGet(), "team", TEAM, "role", "VIEWER")), none,
                        statuses(401, 403, 403, 403, 403, 403, 201, 403, 403, 403, 403)),
                new Row("delete sso group rule", () -> new Request("DELETE", "/api/v1/sso/group-rules/999999999", null), none,
                        statuses(401, 403, 403, 403, 403, 403, 404, 403, 403, 403, 403)),
                new Row("create join token", () -> new Request("POST", "/api/v1/hosts/join-tokens", Map.of("ttlMinutes", 5)),
                        none, statuses(401, 403, 403, 403, 403, 403, 201, 403, 403, 403, 403)),
                new Row("list hosts", () -> new Request("GET", "/api/v1/hosts", null), none,
                        statuses(401, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403)),
                new Row("drain host", () -> new Request("POST", "/api/v1/hosts/" + idleHostId + "/drain",
                        Map.of("reason", "matrix")), none, statuses(401, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403)),
                new Row("undrain host", () -> new Request("DELETE", "/api/v1/hosts/" + idleHostId + "/drain", null),
                        () -> root.post("/api/v1/hosts/" + idleHostId + "/drain", Map.of()),
                        statuses(401, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403)),
                new Row("remove host", () -> new Request("DELETE", "/api/v1/hosts/" + doomedHostId, null),
                        () -> doomedHostId = registerHost("rbac-doomed-" + unique.incrementAndGet() + ".test"),
                        statuses(401, 403, 403, 403, 403, 403, 204, 403, 403, 403, 403)),
                new Row("token for team ADMIN", () -> new Request("POST", "/api/v1/tokens",
                        Map.of("name", "escalate", "team", TEAM, "role", "ADMIN")), none,
                        statuses(401, 403, 403, 201, 404, 404, 201, 403, 403, 201, 403)),
                // Token management needs a token not narrowed to a team.
                new Row("list own tokens", () -> new Request("GET", "/api/v1/tokens", null), none,
                        statuses(401, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403)),
                new Row("revoke another token", () -> new Request("DELETE", "/api/v1/tokens/NoSuchToken0", null), none,
                        statuses(401, 404, 404, 404, 404, 404, 404, 403, 403, 403, 403)),
                // Anonymous by design: the command line has no credential before it is signed in. Starting a
                // request grants nothing (a person must approve its code on the dashboard), and polling needs
                // the request's secret device code; a credential sent along is not even read.
                new Row("start command-line sign-in", () -> new Request("POST", "/api/v1/cli/login-requests",
                        Map.of("client", "rbac matrix")), none,
                        statuses(201, 201, 201, 201, 201, 201, 201, 201, 201, 201, 201)),
                new Row("poll command-line sign-in", () -> new Request("POST", "/api/v1/cli/login-requests/token",
                        Map.of("device_code", "no-such-device-code")), none,
                        statuses(400, 400, 400, 400, 400, 400, 400, 400, 400, 400, 400)),
                new Row("prometheus metrics", () -> new Request("GET", "/actuator/prometheus", null), none,
                        statuses(401, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403)),
                new Row("health", () -> new Request("GET", "/actuator/health", null), none,
                        statuses(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
                new Row("liveness", () -> new Request("GET", "/actuator/health/liveness", null), none,
                        statuses(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
                new Row("readiness", () -> new Request("GET", "/actuator/health/readiness", null), none,
                        statuses(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)));
    }

    @TestFactory
    Stream<DynamicTest> everyCallerAgainstEveryEndpoint() {
        var tests = new ArrayList<DynamicTest>();
        for (Row row : rows()) {
            assertThat(row.expected().keySet()).containsExactlyElementsOf(callers.keySet());
            row.expected().forEach((caller, status) -> tests.add(DynamicTest.dynamicTest(
                    row.name() + " as " + caller + " → " + status, () -> {
                        row.before().run();
                        Request req = row.request().get();
                        var response = callers.get(caller).send(req.method(), req.path(), req.body(), Map.of());
                        assertThat(response.status()).as("%s %s as %s: %s", req.method(), req.path(), caller, response)
                                .isEqualTo(status);
                        if (status >= 400) assertThat(response.contentType()).startsWith("application/problem+json");
                    })));
        }
        return tests.stream();
    }
}
