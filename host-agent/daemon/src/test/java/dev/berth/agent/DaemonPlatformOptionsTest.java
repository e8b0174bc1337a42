package dev.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's platform options are checked before anything starts; the join itself is in ui-tests' AgentJoinTest. */
class DaemonPlatformOptionsTest {
    @TempDir
    Path state;

    private String usageError(String... daemonArgs) {
        var err = new ByteArrayOutputStream();
        var argv = new ArrayList<>(List.of("--state-dir", state.toString(), "daemon"));
        argv.addAll(List.of(daemonArgs));
        int code = BerthAgent.execute(argv, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aFirstJoinNeedsAJoinToken() {
        assertThat(usageError("--platform", "http://127.0.0.1:8080"))
                .contains("--platform needs --join-token TOKEN the first time")
                .contains(state.resolve("platform/credential.json").toString());
    }

    @Test
    void aJoinTokenNeedsAPlatform() {
        assertThat(usageError("--join-token", "berth-join_secret")).contains("--join-token needs --platform URL")
                .doesNotContain("berth-join_secret");
    }

    @Test
    void thePlatformIsAnHttpUrl() {
        assertThat(usageError("--platform", "ftp://example.com", "--join-token", "t")).contains("http:// or https:// URL");
        assertThat(usageError("--platform", "not a url", "--join-token", "t")).contains("http:// or https:// URL");
    }

    @Test
    void heartbeatSecondsAreBounded() {
        assertThat(usageError("--platform", "http://127.0.0.1:1", "--join-token", "t", "--heartbeat-seconds", "0"))
                .contains("--heartbeat-seconds must be");
        assertThat(usageError("--heartbeat-seconds", "soon")).contains("--heartbeat-seconds must be");
    }
}
