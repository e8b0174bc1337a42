package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.Await;
import dev.berth.agent.edge.EdgeSettings;
import dev.berth.agent.protocol.Assignment;
import dev.berth.agent.protocol.EdgeAssignment;
import dev.berth.agent.protocol.EdgeRoute;
import dev.berth.agent.runtime.RuntimePrerequisites;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** AgentService hands the assignment's edge part to its edge, reports it for heartbeats and stops Caddy with itself. */
class EdgeAgentTest {
    private Path work;

    @BeforeEach
    void setUp() throws Exception {
        RuntimePrerequisites.require();
        dev.berth.agent.edge.EdgePrerequisites.require();
        work = Files.createTempDirectory("berth-edge-agent-test");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
    }

    @AfterEach
    void tearDown() throws IOException {
        try (Stream<Path> paths = Files.walk(work)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void anEdgeAgentServesTheEdgePartAndStopsCaddyWhenItCloses() throws Exception {
        int http = freePort();
        var settings = new EdgeSettings(new EdgeSettings.Listen("127.0.0.1", http), new EdgeSettings.Listen("127.0.0.1", freePort()),
                "203.0.113.30");
        long caddyPid;
        try (var agent = AgentService.open(work.resolve("state"), RuntimePrerequisites.RUNC, AgentOptions.defaults()
                .withPublishAddress("127.0.0.1", null).withEdge(settings))) {
            agent.apply(new Assignment(Assignment.VERSION, "h1", 5, List.of(), List.of(), List.of(), new EdgeAssignment(
                    List.of(new EdgeRoute("shop.example.com", "/", "team/shop", List.of("127.0.0.1:1"))), List.of(), List.of())));
            Await.until(() -> agent.edgeStatus().appliedGeneration() == 5);
            assertThat(agent.edgeStatus().address()).isEqualTo("203.0.113.30");
            assertThat(agent.edgeStatus().error()).isNull();
            assertThat(head(http, "shop.example.com")).startsWith("HTTP/1.1 308");
            assertThat(head(http, "other.example.com")).startsWith("HTTP/1.1 404");
            caddyPid = Long.parseLong(Files.readString(work.resolve("state/edge/caddy.pid")).strip());
            assertThat(agent.edgeTraffic()).isPresent();
        }
        assertThat(ProcessHandle.of(caddyPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void anAgentWithoutEdgeIgnoresTheEdgePart() throws Exception {
        try (var agent = AgentService.open(work.resolve("state"), RuntimePrerequisites.RUNC)) {
            agent.apply(new Assignment(Assignment.VERSION, "h1", 5, List.of(), List.of(), List.of(), EdgeAssignment.EMPTY));
            assertThat(agent.edgeStatus()).isNull();
            assertThat(agent.edgeTraffic()).isEmpty();
            assertThat(work.resolve("state/edge")).doesNotExist();
        }
    }

    private static String head(int port, String host) throws IOException {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.getOutputStream().write(("GET /x?y=1 HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
