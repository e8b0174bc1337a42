package dev.berth.platform.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.MutableClock;
import dev.berth.platform.PlatformTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hosts joining over real HTTP: join tokens for platform admins only, single use and expiring;
 * agent credentials good on the agent endpoints only, and user tokens never there.
 */
class HostsApiTest extends PlatformTest {
    /** The agent protocol's golden files, which the protocol module asserts too. */
    private static final Path GOLDEN = Path.of("..", "host-agent", "protocol", "src", "test", "resources", "golden");
    private static final String PASSWORD = "a-long-enough-password";

    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;
    @Autowired
    JdbcClient jdbc;

    private Api api;
    private Api admin;

    @BeforeEach
    void setUp() {
        api = Api.at(port);
        admin = api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
    }

    private String joinToken() {
        var r = admin.post("/api/v1/hosts/join-tokens", Map.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("token").asString();
    }

    private static Map<String, Object> registration(String token, String hostname) {
        var body = new LinkedHashMap<String, Object>();
        body.put("version", 1);
        body.put("joinToken", token);
        body.put("hostname", hostname);
        body.put("capacity", Map.of("memoryBytes", 4294967296L, "cpuMillis", 2000));
        body.put("agentVersion", "0.1.0-test");
        return body;
    }

    private static JsonNode golden(String file) throws IOException {
        return Api.JSON.readTree(Files.readString(GOLDEN.resolve(file)));
    }

    private JsonNode listed(String hostId) {
        var r = admin.get("/api/v1/hosts");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return StreamSupport.stream(r.json().spliterator(), false).filter(h -> h.get("id").asString().equals(hostId))
                .findFirst().orElseThrow(() -> new AssertionError(hostId + " not listed in " + r));
    }

    @Test
    void anAdminsJoinTokenIsShownOnceStoredHashedAndExpiresWithinItsTtl() {
        var before = clock.instant();
        var r = admin.post("/api/v1/hosts/join-tokens", Map.of("ttlMinutes", 30));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        String token = r.json().get("token").asString();
        assertThat(token).startsWith("berth-join_");
        var expiresAt = Instant.parse(r.json().get("expiresAt").asString());
        assertThat(expiresAt).isBetween(before.plus(Duration.ofMinutes(30)), clock.instant().plus(Duration.ofMinutes(30)));
        var stored = jdbc.sql("SELECT encode(token_hash, 'hex') FROM join_tokens WHERE id = ?")
                .param(r.json().get("id").asLong()).query(String.class).single();
        assertThat(stored).hasSize(64).doesNotContain(token.substring("berth-join_".length()));

        // No body at all takes the default hour.
        var byDefault = admin.send("POST", "/api/v1/hosts/join-tokens", null, Map.of());
        assertThat(byDefault.status()).as(byDefault.toString()).isEqualTo(201);
        assertThat(Instant.parse(byDefault.json().get("expiresAt").asString())).isAfter(before.plus(Duration.ofMinutes(59)));

        var tooLong = admin.post("/api/v1/hosts/join-tokens", Map.of("ttlMinutes", 24 * 60 + 1));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.contentType()).startsWith("application/problem+json");
        assertThat(admin.get("/api/v1/audit?action=host.join-token.create").body()).contains("join-token:" + r.json().get("id").asLong());
    }

    @Test
    void onlyPlatformAdminsCreateJoinTokensOrListHosts() {
        String user = "hosts-user-" + System.nanoTime();
        assertThat(admin.post("/api/v1/users", Map.of("username", user, "password", PASSWORD)).status()).isEqualTo(201);
        var someone = api.bearer(api.tokenFor(user, PASSWORD));
        var refused = someone.post("/api/v1/hosts/join-tokens", Map.of());
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(someone.get("/api/v1/hosts").status()).isEqualTo(403);
        var r = api.anonymous().post("/agent/v1/register", registration(joinToken(), "guarded.test"));
        String hostId = r.json().get("hostId").asString();
        assertThat(someone.post("/api/v1/hosts/" + hostId + "/drain", Map.of()).status()).isEqualTo(403);
        assertThat(someone.delete("/api/v1/hosts/" + hostId + "/drain").status()).isEqualTo(403);
        assertThat(someone.delete("/api/v1/hosts/" + hostId).status()).isEqualTo(403);
        assertThat(listed(hostId).get("drain").isNull()).isTrue();
        assertThat(api.anonymous().post("/api/v1/hosts/join-tokens", Map.of()).status()).isEqualTo(401);
    }

    @Test
    void aJoinTokenRegistersOneHostOnlyAndItsCredentialReportsHeartbeats() throws IOException {
        String token = joinToken();
        var r = api.anonymous().post("/agent/v1/register", registration(token, "worker-a.test"));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().get("version").asInt()).isEqualTo(1);
        String hostId = r.json().get("hostId").asString();
        String credential = r.json().get("credential").asString();
        assertThat(hostId).matches("h-[0-9a-z]{12}");
        assertThat(credential).startsWith("berth-agent_" + hostId + "_");
        var storedHash = jdbc.sql("SELECT encode(credential_hash, 'hex') FROM hosts WHERE id = ?").param(hostId)
                .query(String.class).single();
        assertThat(storedHash).hasSize(64).doesNotContain(credential.substring(credential.lastIndexOf('_') + 1));

        var again = api.anonymous().post("/agent/v1/register", registration(token, "worker-b.test"));
        assertThat(again.status()).isEqualTo(401);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(again.json().get("detail").asString()).isEqualTo("join token is not valid");

        // Registered but silent: listed, not alive.
        var host = listed(hostId);
        assertThat(host.get("hostname").asString()).isEqualTo("worker-a.test");
        assertThat(host.get("alive").asBoolean()).isFalse();

        // The heartbeat as the protocol's golden file has it.
        var agent = api.bearer(credential);
        var beat = agent.post("/agent/v1/heartbeat", golden("heartbeat-v1.json"));
        assertThat(beat.status()).as(beat.toString()).isEqualTo(204);
        host = listed(hostId);
        assertThat(host.get("alive").asBoolean()).isTrue();
        // It registered with 4 GiB and 2 cpu; the golden heartbeat claims 8 GiB and 4 cpu: capped.
        assertThat(host.get("memoryBytes").asLong()).isEqualTo(4294967296L);
        assertThat(host.get("cpuMillis").asInt()).isEqualTo(2000);
        assertThat(host.get("reported").get("memoryBytes").asLong()).isEqualTo(8589934592L);
        assertThat(host.get("containers")).hasSize(3);
        var failed = host.get("containers").get(0);
        assertThat(failed.get("name").asString()).isEqualTo("api-1");
        assertThat(failed.get("state").asString()).isEqualTo("failed");
        assertThat(failed.get("error").asString()).isEqualTo("cannot listen on 127.0.0.1:20002: Address already in use");
        assertThat(host.get("containers").get(1).get("error").isNull()).isTrue();
        var worker = host.get("containers").get(2);
        assertThat(worker.get("name").asString()).isEqualTo("worker-1");
        assertThat(worker.get("exitCode").asInt()).isEqualTo(137);
        assertThat(worker.get("oomKilled").asBoolean()).isTrue();

        // A field of a newer agent this platform does not know is ignored, as this platform's metrics are by older ones.
        var newer = (ObjectNode) golden("heartbeat-v1.json");
        ((ObjectNode) newer.get("containers").get(0)).put("somethingNewer", 1);
        var newerBeat = agent.post("/agent/v1/heartbeat", newer);
        assertThat(newerBeat.status()).as(newerBeat.toString()).isEqualTo(204);

        // An error beyond the protocol's bound is refused, naming the container; nothing of it is kept.
        var tooLong = agent.post("/agent/v1/heartbeat", Map.of("version", 1, "capacity", Map.of("memoryBytes", 1024, "cpuMillis", 1000),
                "containers", List.of(Map.of("name", "api-1", "app", "api", "state", "failed", "oomKilled", false,
                        "error", "x".repeat(1001)))));
        assertThat(tooLong.status()).as(tooLong.toString()).isEqualTo(400);
        assertThat(tooLong.json().get("detail").asString())
                .isEqualTo("container 'api-1': error is 1001 characters long; at most 1000 are taken");
        assertThat(listed(hostId).get("containers")).hasSize(3);

        // Each heartbeat replaces the containers wholesale.
        var next = agent.post("/agent/v1/heartbeat", Map.of("version", 1, "capacity", Map.of("memoryBytes", 1024, "cpuMillis", 1000),
                "containers", List.of(Map.of("name", "web-2", "app", "web", "state", "running", "oomKilled", false))));
        assertThat(next.status()).as(next.toString()).isEqualTo(204);
        host = listed(hostId);
        assertThat(host.get("containers")).hasSize(1);
        assertThat(host.get("containers").get(0).get("name").asString()).isEqualTo("web-2");
        assertThat(host.get("containers").get(0).get("exitCode").isNull()).isTrue();

        // Silence past the heartbeat timeout: no longer alive.
        var timeout = Duration.ofSeconds(91);
        clock.advance(timeout);
        try {
            assertThat(listed(hostId).get("alive").asBoolean()).isFalse();
        } finally {
            clock.advance(timeout.negated());
        }

        var audit = admin.get("/api/v1/audit?action=host.register").body();
        assertThat(audit).contains("host:" + hostId).contains("FAILURE").contains("worker-b.test");
    }

    @Test
    void aHeartbeatCountsAtMostTheCapacityTheHostRegisteredWith() {
        var r = api.anonymous().post("/agent/v1/register", registration(joinToken(), "capped.test"));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        String hostId = r.json().get("hostId").asString();
        var agent = api.bearer(r.json().get("credential").asString());

        // Claims far more than it registered with (4 GiB, 2 cpu): counted as the registered capacity.
        expect204(agent.post("/agent/v1/heartbeat", Map.of("version", 1, "capacity",
                Map.of("memoryBytes", 1L << 50, "cpuMillis", 1_000_000), "containers", List.of())));
        var host = listed(hostId);
        assertThat(host.get("memoryBytes").asLong()).isEqualTo(4294967296L);
        assertThat(host.get("cpuMillis").asInt()).isEqualTo(2000);
        assertThat(host.get("cap").get("memoryBytes").asLong()).isEqualTo(4294967296L);
        assertThat(host.get("cap").get("cpuMillis").asInt()).isEqualTo(2000);
        assertThat(host.get("reported").get("memoryBytes").asLong()).isEqualTo(1L << 50);
        assertThat(host.get("reported").get("cpuMillis").asInt()).isEqualTo(1_000_000);

        // Less than registered (memory in use elsewhere, say) is counted as reported.
        expect204(agent.post("/agent/v1/heartbeat", Map.of("version", 1, "capacity",
                Map.of("memoryBytes", 1L << 30, "cpuMillis", 500), "containers", List.of())));
        host = listed(hostId);
        assertThat(host.get("memoryBytes").asLong()).isEqualTo(1L << 30);
        assertThat(host.get("cpuMillis").asInt()).isEqualTo(500);
    }

    @Test
    void aDrainIsShownAuditedWithItsReasonAndUndone() {
        var r = api.anonymous().post("/agent/v1/register", registration(joinToken(), "drained.test"));
        String hostId = r.json().get("hostId").asString();
        assertThat(listed(hostId).get("drain").isNull()).isTrue();

        var drained = admin.post("/api/v1/hosts/" + hostId + "/drain", Map.of("reason", "kernel upgrade"));
        assertThat(drained.status()).as(drained.toString()).isEqualTo(200);
        assertThat(drained.json().get("drain").get("by").asString()).isEqualTo("admin");
        assertThat(listed(hostId).get("drain").get("since").asString()).isNotBlank();
        // Again: nothing changes, nothing more is audited.
        assertThat(admin.post("/api/v1/hosts/" + hostId + "/drain", Map.of()).status()).isEqualTo(200);
        assertThat(auditOf("host.drain", hostId)).singleElement().satisfies(e -> {
            assertThat(e.get("actor").asString()).startsWith("admin/");
            assertThat(e.get("details").get("reason").asString()).isEqualTo("kernel upgrade");
            assertThat(e.get("details").get("hostname").asString()).isEqualTo("drained.test");
        });

        var undrained = admin.send("DELETE", "/api/v1/hosts/" + hostId + "/drain", Map.of("reason", "upgraded"), Map.of());
        assertThat(undrained.status()).as(undrained.toString()).isEqualTo(200);
        assertThat(undrained.json().get("drain").isNull()).isTrue();
        assertThat(listed(hostId).get("drain").isNull()).isTrue();
        assertThat(auditOf("host.undrain", hostId)).singleElement()
                .satisfies(e -> assertThat(e.get("details").get("reason").asString()).isEqualTo("upgraded"));

        var unknown = admin.post("/api/v1/hosts/h-000000000000/drain", Map.of());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        var tooLong = admin.post("/api/v1/hosts/" + hostId + "/drain", Map.of("reason", "x".repeat(501)));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("detail").asString()).isEqualTo("reason is 501 characters long; at most 500 are taken");
        assertThat(listed(hostId).get("drain").isNull()).as("nothing half-done").isTrue();
    }

    @Test
    void aRemovedHostsCredentialIsRefusedOnItsVeryNextRequestAndTheHostIsGone() {
        String token = joinToken();
        var r = api.anonymous().post("/agent/v1/register", registration(token, "removed.test"));
        String hostId = r.json().get("hostId").asString();
        var agent = api.bearer(r.json().get("credential").asString());
        var beat = Map.of("version", 1, "capacity", Map.of("memoryBytes", 1024, "cpuMillis", 1000), "containers", List.of());
        expect204(agent.post("/agent/v1/heartbeat", beat));

        var removed = admin.send("DELETE", "/api/v1/hosts/" + hostId, Map.of("reason", "decommissioned"), Map.of());
        assertThat(removed.status()).as(removed.toString()).isEqualTo(204);

        for (var refused : List.of(agent.post("/agent/v1/heartbeat", beat), agent.get("/agent/v1/assignments?after=-1"))) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().get("detail").asString()).isEqualTo("host " + hostId
                    + " was removed from the platform; its credential no longer works. To join again, start the agent with a new join token");
        }
        var hosts = admin.get("/api/v1/hosts");
        assertThat(StreamSupport.stream(hosts.json().spliterator(), false).map(h -> h.get("id").asString())).doesNotContain(hostId);
        // The row stays for the audit trail and the replicas' history, marked removed and by whom.
        assertThat(jdbc.sql("SELECT removed_by FROM hosts WHERE id = ?").param(hostId).query(String.class).single()).isEqualTo("admin");
        assertThat(auditOf("host.remove", hostId)).singleElement().satisfies(e -> {
            assertThat(e.get("actor").asString()).startsWith("admin/");
            assertThat(e.get("details").get("reason").asString()).isEqualTo("decommissioned");
        });
        assertThat(admin.delete("/api/v1/hosts/" + hostId).status()).isEqualTo(404);
        assertThat(admin.post("/api/v1/hosts/" + hostId + "/drain", Map.of()).status()).isEqualTo(404);

        // Its join token is used up; joining again takes a new one, and makes a new host.
        assertThat(api.anonymous().post("/agent/v1/register", registration(token, "removed.test")).status()).isEqualTo(401);
        var again = api.anonymous().post("/agent/v1/register", registration(joinToken(), "removed.test"));
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().get("hostId").asString()).isNotEqualTo(hostId);
    }

    private static void expect204(Api.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(204);
    }

    /** The audit events of {@code action} on the host. */
    private List<JsonNode> auditOf(String action, String hostId) {
        var r = admin.get("/api/v1/audit?action=" + action);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body().lines().filter(l -> !l.isBlank()).map(Api.JSON::readTree)
                .filter(e -> e.get("target").asString().equals("host:" + hostId)).toList();
    }

    @Test
    void theGoldenRegistrationRegistersWithARealToken() throws IOException {
        var body = (ObjectNode) golden("registration-v1.json");
        body.put("joinToken", joinToken());
        // The golden key is a truncated placeholder; the platform checks keys, so a real one stands in.
        body.put("publicKey", AgentCertificatesTest.publicKey(AgentCertificatesTest.newKeyPair()));
        var r = api.anonymous().post("/agent/v1/register", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().get("certificate").asString()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(listed(r.json().get("hostId").asString()).get("hostname").asString()).isEqualTo("worker-1.example.com");
    }

    @Test
    void anExpiredOrUnknownJoinTokenGetsTheSameRefusal() {
        String token = joinToken();
        var hour = Duration.ofMinutes(61);
        clock.advance(hour);
        try {
            var expired = api.anonymous().post("/agent/v1/register", registration(token, "late.test"));
            assertThat(expired.status()).isEqualTo(401);
            assertThat(expired.json().get("detail").asString()).isEqualTo("join token is not valid");
        } finally {
            clock.advance(hour.negated());
        }
        var unknown = api.anonymous().post("/agent/v1/register", registration("berth-join_" + "x".repeat(32), "guess.test"));
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.json().get("detail").asString()).isEqualTo("join token is not valid");
        var garbage = api.anonymous().post("/agent/v1/register", registration("nonsense", "guess.test"));
        assertThat(garbage.status()).isEqualTo(401);
        assertThat(garbage.json().get("detail").asString()).isEqualTo("join token is not valid");
        assertThat(admin.get("/api/v1/audit?action=host.register").body()).contains("late.test").contains("expired");
    }

    @Test
    void agentCredentialsAndUserTokensStayOnTheirOwnSide() {
        var r = api.anonymous().post("/agent/v1/register", registration(joinToken(), "worker-c.test"));
        var agent = api.bearer(r.json().get("credential").asString());
        var heartbeat = Map.of("version", 1, "capacity", Map.of("memoryBytes", 1, "cpuMillis", 1), "containers", List.of());

        var userOnAgent = admin.post("/agent/v1/heartbeat", heartbeat);
        assertThat(userOnAgent.status()).isEqualTo(401);
        assertThat(userOnAgent.contentType()).startsWith("application/problem+json");
        assertThat(api.anonymous().post("/agent/v1/heartbeat", heartbeat).status()).isEqualTo(401);
        String forged = r.json().get("credential").asString().substring(0, "berth-agent_h-000000000000_".length()) + "A".repeat(32);
        assertThat(api.bearer(forged).post("/agent/v1/heartbeat", heartbeat).status()).isEqualTo(401);

        var agentOnApi = agent.get("/api/v1/teams");
        assertThat(agentOnApi.status()).isEqualTo(401);
        assertThat(agentOnApi.contentType()).startsWith("application/problem+json");
        assertThat(agent.get("/api/v1/hosts").status()).isEqualTo(401);
        assertThat(agent.post("/api/v1/hosts/join-tokens", Map.of()).status()).isEqualTo(401);
        assertThat(agent.post("/agent/v1/heartbeat", heartbeat).status()).isEqualTo(204);
    }

    @Test
    void aHeartbeatOfAnotherProtocolVersionIsRefusedWithAProblem() {
        var r = api.anonymous().post("/agent/v1/register", registration(joinToken(), "worker-d.test"));
        var agent = api.bearer(r.json().get("credential").asString());
        var refused = agent.post("/agent/v1/heartbeat", Map.of("version", 2, "capacity", Map.of("memoryBytes", 1, "cpuMillis", 1)));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("detail").asString()).contains("version 2");
    }
}
