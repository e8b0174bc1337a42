package dev.berth.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.Await;
import dev.berth.agent.protocol.EdgeStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Heartbeats carry the agent's peer address and edge status when it has them, and none when it has not. */
class HeartbeatPeerAddressTest {
    private static final PlatformLink.Timing FAST = new PlatformLink.Timing(Duration.ofMillis(100), Duration.ofMillis(50), 1,
            Duration.ofMillis(50));
    @TempDir
    Path state;
    private final PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @Test
    void heartbeatsReportThePeerAddress() throws Exception {
        var agent = new RecordingAgent();
        agent.peerAddress = "203.0.113.11:7443";
        try (var platform = new StandInPlatform();
             var link = PlatformLink.join(platform.uri(), state, "berth-join_tokentokentoken", FAST, log)) {
            link.start(agent);
            Await.until(() -> platform.heartbeats.size() >= 2);
            link.close();
            assertThat(platform.heartbeats).allSatisfy(h -> assertThat(h.peerAddress()).isEqualTo("203.0.113.11:7443"));
        }
    }

    @Test
    void heartbeatsReportTheEdge() throws Exception {
        var status = new EdgeStatus("203.0.113.20", 7, "Caddy refused the configuration (HTTP 400): x");
        var agent = new RecordingAgent();
        agent.edge = status;
        try (var platform = new StandInPlatform();
             var link = PlatformLink.join(platform.uri(), state, "berth-join_tokentokentoken", FAST, log)) {
            link.start(agent);
            Await.until(() -> !platform.heartbeats.isEmpty());
            link.close();
            assertThat(platform.heartbeats).allSatisfy(h -> assertThat(h.edge()).isEqualTo(status));
        }
    }

    @Test
    void anAgentWithoutPeersOrEdgeReportsNone() throws Exception {
        try (var platform = new StandInPlatform();
             var link = PlatformLink.join(platform.uri(), state, "berth-join_tokentokentoken", FAST, log)) {
            link.start(new RecordingAgent());
            Await.until(() -> !platform.heartbeats.isEmpty());
            link.close();
            assertThat(platform.heartbeats).allSatisfy(h -> {
                assertThat(h.peerAddress()).isNull();
                assertThat(h.edge()).isNull();
            });
        }
    }
}
