package dev.berth.agent.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The wire form of joining and reporting, pinned by golden files in both directions: registration,
 * its answer and the heartbeat. The platform's tests send the same files over HTTP.
 */
class HostProtocolGoldenTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HostCapacity CAPACITY = new HostCapacity(8589934592L, 4000);

    static Registration registration() {
        return new Registration(Registration.VERSION, "berth-join_0123456789abcdefghijABCDEFGHIJ01", "worker-1.example.com",
                CAPACITY, "0.1.0", "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE");
    }

    static Registered registered() {
        return new Registered(Registered.VERSION, "h-0a1b2c3d4e5f",
                "berth-agent_h-0a1b2c3d4e5f_0123456789abcdefghijABCDEFGHIJ01",
                "-----BEGIN CERTIFICATE-----\nHOST\n-----END CERTIFICATE-----\n", "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n");
    }

    static Heartbeat heartbeat() {
        return new Heartbeat(Heartbeat.VERSION, CAPACITY, List.of(
                new ContainerStatus("web-1", "web", "running", null, false, "healthy", 1,
                        List.of(new PublishedPort(8080, "127.0.0.1:20001", true)),
                        List.of(new IsolationCheck("no_new_privs", true, "1", "1"),
                                new IsolationCheck("cap_eff", false, "0000000000000400", "00000000a80425fb")), null)
                        .withRefused(List.of(new RefusedDestination("203.0.113.9", "tcp", 5432, 12,
                                Instant.parse("2026-12-05T10:41:07Z")), new RefusedDestination("2001:db8::5", "icmpv6", 0, 3,
                                Instant.parse("2026-12-05T10:40:01.250Z"))), 4)
                        .withMetrics(new ContainerMetrics(1_520_000_000L, 52_428_800L, 268_435_456L, 7, 10_240, 20_480)),
                new ContainerStatus("worker-1", "worker", "stopped", 137, true, null),
                new ContainerStatus("api-1", "api", "failed", null, false, null, 0, List.of(), List.of(),
                        "cannot listen on 127.0.0.1:20002: Address already in use")), "203.0.113.11:7443",
                new EdgeStatus("203.0.113.11", 41, "cannot listen on 0.0.0.0:443: address already in use",
                        List.of(new EdgeStatus.AppRequests("acme/web", 1200, 3, 5_242_880),
                                new EdgeStatus.AppRequests("acme/api", 40, 0, 20_480))));
    }

    static Assignment assignment() {
        var spec = ContainerSpecGoldenTest.sample();
        return new Assignment(Assignment.VERSION, "h-0a1b2c3d4e5f", 42,
                List.of(new AssignedContainer(spec, 7, java.util.Map.of("DB_PASSWORD", "s3cret"), false)),
                List.of(new ConnectTarget("acme-db", "pg", List.of(
                        new ConnectTarget.Backend("h-0a1b2c3d4e5f", "acme-db-1", 5432, null),
                        new ConnectTarget.Backend("h-99aa88bb77cc", "acme-db-2", 5432, "203.0.113.12:7443")))),
                List.of(new ConnectGrant("web", "http", "acme-api", List.of("h-99aa88bb77cc"), java.util.Map.of("web-1", 8080))),
                new EdgeAssignment(
                        List.of(new EdgeRoute("shop.example.com", "/", "acme/web", List.of("203.0.113.11:20001", "203.0.113.12:20001")),
                                new EdgeRoute("shop.example.com", "/api", "acme/api", List.of())),
                        List.of(new EdgeCertificate("shop.example.com", "-----BEGIN CERTIFICATE-----\nLEAF\n-----END CERTIFICATE-----\n",
                                new SealedKey("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE", "AAECAwQFBgcICQoL", "c2VhbGVk"))),
                        List.of(new AcmeChallenge("www.example.com", "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0",
                                "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0.9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI"))));
    }

    static Logs logs() {
        return new Logs(Logs.VERSION, List.of(new LogChunk("acme.web.7.0", 1024, "GET / 200\n")));
    }

    private static String golden(String name) throws IOException {
        try (var in = HostProtocolGoldenTest.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static <T> void assertGolden(String file, T sample, Class<T> type) throws IOException {
        assertThat(JSON.readValue(golden(file), type)).as("%s read", file).isEqualTo(sample);
        assertThat(JSON.readTree(JSON.writeValueAsString(sample))).as("%s written", file).isEqualTo(JSON.readTree(golden(file)));
    }

    @Test
    void registrationMatchesItsGoldenFile() throws IOException {
        assertGolden("registration-v1.json", registration(), Registration.class);
    }

    @Test
    void registeredMatchesItsGoldenFile() throws IOException {
        assertGolden("registered-v1.json", registered(), Registered.class);
    }

    @Test
    void heartbeatMatchesItsGoldenFile() throws IOException {
        assertGolden("heartbeat-v1.json", heartbeat(), Heartbeat.class);
    }

    @Test
    void assignmentMatchesItsGoldenFile() throws IOException {
        assertGolden("assignment-v1.json", assignment(), Assignment.class);
    }

    @Test
    void logsMatchItsGoldenFile() throws IOException {
        assertGolden("logs-v1.json", logs(), Logs.class);
    }

    @Test
    void aStatusFromAnOlderAgentHasNoPortsReportOrRefusals() {
        var read = JSON.readValue("{\"name\":\"a\",\"app\":\"a\",\"state\":\"running\",\"oomKilled\":false}",
                ContainerStatus.class);
        assertThat(read.published()).isEmpty();
        assertThat(read.isolation()).isEmpty();
        assertThat(read.refused()).isEmpty();
        assertThat(read.refusedLeftOut()).isZero();
        assertThat(read.metrics()).isNull();
    }

    @Test
    void anOlderReaderThatIgnoresUnknownFieldsReadsAHeartbeatWithMetrics() throws IOException {
        // What an older platform does with the field it does not know (Spring's mapper ignores unknown properties).
        var tolerant = JsonMapper.builder()
                .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        var tree = (tools.jackson.databind.node.ObjectNode) JSON.readTree(golden("heartbeat-v1.json"));
        ((tools.jackson.databind.node.ObjectNode) tree.get("containers").get(0)).put("somethingNewer", 1);
        assertThat(tolerant.treeToValue(tree, Heartbeat.class)).isEqualTo(heartbeat());
    }

    @Test
    void aStatusFromAnOlderAgentHasNoError() {
        var read = JSON.readValue("{\"name\":\"a\",\"app\":\"a\",\"state\":\"failed\",\"oomKilled\":false}",
                ContainerStatus.class);
        assertThat(read.error()).isNull();
    }

    @Test
    void aContainerFromAnOlderPlatformServes() throws IOException {
        var older = (tools.jackson.databind.node.ObjectNode) JSON.readTree(golden("assignment-v1.json"));
        ((tools.jackson.databind.node.ObjectNode) older.get("containers").get(0)).remove("serving");
        var read = JSON.treeToValue(older, Assignment.class);
        assertThat(read.containers().getFirst().serving()).isTrue();
        var explicitNull = JSON.readValue("{\"spec\":{\"version\":1,\"name\":\"a\"},\"revision\":1,\"serving\":null}",
                AssignedContainer.class);
        assertThat(explicitNull.serving()).isTrue();
    }

    @Test
    void anAssignmentFromAnOlderPlatformHasNoEdge() throws IOException {
        var older = (tools.jackson.databind.node.ObjectNode) JSON.readTree(golden("assignment-v1.json"));
        older.remove("edge");
        assertThat(JSON.treeToValue(older, Assignment.class).edge()).isNull();
        assertThat(JSON.readValue("{}", EdgeAssignment.class)).isEqualTo(EdgeAssignment.EMPTY);
    }

    @Test
    void anEmptyHeartbeatHasNoContainersRatherThanNull() {
        var read = JSON.readValue("{\"version\":1,\"capacity\":{\"memoryBytes\":1,\"cpuMillis\":1}}", Heartbeat.class);
        assertThat(read.containers()).isEmpty();
    }

    @Test
    void secretsStayOutOfToString() {
        assertThat(registration().toString()).doesNotContain("berth-join_");
        assertThat(registered().toString()).doesNotContain("berth-agent_");
        assertThat(assignment().toString()).doesNotContain("s3cret");
    }
}
