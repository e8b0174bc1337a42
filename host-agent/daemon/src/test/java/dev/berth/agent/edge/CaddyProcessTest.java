package dev.berth.agent.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting and stopping the real Caddy: a stale one is stopped, a taken port is a sentence. */
class CaddyProcessTest {
    @TempDir
    Path state;

    @BeforeEach
    void require() {
        EdgePrerequisites.require();
    }

    private String config(EdgeDirectory dir, int http, int https) {
        return CaddyConfig.json(RouteTable.of(List.of()), List.of(), List.of(), new EdgeSettings(
                new EdgeSettings.Listen("127.0.0.1", http), new EdgeSettings.Listen("127.0.0.1", https), "x"), dir.caddyFiles());
    }

    @Test
    void aCaddyLeftByADeadAgentIsStoppedBeforeANewOneStarts() throws Exception {
        var dir = EdgeDirectory.in(state).create();
        var admin = new CaddyAdmin(dir.adminSocket(), Duration.ofSeconds(5));
        var log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        String config = config(dir, TestBackends.closedPort(), TestBackends.closedPort());
        var stale = CaddyProcess.start(CaddyProcess.DEFAULT_BINARY, dir, config, 1, admin, log);
        try (var fresh = CaddyProcess.start(CaddyProcess.DEFAULT_BINARY, dir, config, 3, admin, log)) {
            assertThat(ProcessHandle.of(stale.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(fresh.alive()).isTrue();
            assertThat(admin.ready()).isTrue();
            // --edge-cpus reaches Go's scheduler, and nothing of the agent's environment does.
            var environment = new String(Files.readAllBytes(Path.of("/proc/" + fresh.pid() + "/environ")), StandardCharsets.UTF_8)
                    .split("\0");
            assertThat(environment).contains("GOMAXPROCS=3").noneMatch(v -> v.startsWith("JAVA_HOME="));
        } finally {
            stale.close();
        }
    }

    @Test
    void aTakenPortIsASentence() throws Exception {
        var dir = EdgeDirectory.in(state).create();
        var admin = new CaddyAdmin(dir.adminSocket(), Duration.ofSeconds(5));
        var log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (var taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> CaddyProcess.start(CaddyProcess.DEFAULT_BINARY, dir,
                    config(dir, TestBackends.closedPort(), taken.getLocalPort()), 1, admin, log).close())
                    .isInstanceOf(IOException.class).hasMessageContaining("Caddy exited with status")
                    .hasMessageContaining("address already in use");
        }
    }
}
