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

/** Heartbeats carry the edge's status when the agent runs one, and none otherwise. */
class HeartbeatEdgeStatusTest {
    private static final PlatformLink.Timing FAST = new PlatformLink.Timing(Duration.ofMillis(100), Duration.ofMillis(50), 1,
            Duration.ofMillis(50));
    @TempDir
    Path state;
    private final PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @Test
    void heartbeatsReportTheEdge() throws Exception {
        var status = new EdgeStatus("203.0.113.20", 7, "Caddy refused the configuration (HTTP 400): x");
        var recording = new RecordingAgent();
        var agent = new PlatformLink.Agent() {
            @Override
            public java.util.List<dev.berth.agent.protocol.ContainerStatus> statuses() {
                return recording.statuses();
            }

            @Override
            public void apply(dev.berth.agent.protocol.Assignment assignment) {
                recording.apply(assignment);
            }

            @Override
            public java.util.List<dev.berth.agent.daemon.LogSource> platformLogs() {
                return recording.platformLogs();
            }

            @Override
            public EdgeStatus edge() {
                return status;
            }
        };
        try (var platform = new StandInPlatform();
             var link = PlatformLink.join(platform.uri(), state, "berth-join_tokentokentoken", FAST, log)) {
            link.start(agent);
            Await.until(() -> !platform.heartbeats.isEmpty());
            link.close();
            assertThat(platform.heartbeats).allSatisfy(h -> assertThat(h.edge()).isEqualTo(status));
        }
    }

    @Test
    void anAgentWithoutAnEdgeReportsNone() throws Exception {
        try (var platform = new StandInPlatform();
             var link = PlatformLink.join(platform.uri(), state, "berth-join_tokentokentoken", FAST, log)) {
            link.start(new RecordingAgent());
            Await.until(() -> !platform.heartbeats.isEmpty());
            link.close();
            assertThat(platform.heartbeats).allSatisfy(h -> assertThat(h.edge()).isNull());
        }
    }
}
