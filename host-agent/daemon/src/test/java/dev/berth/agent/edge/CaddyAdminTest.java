package dev.berth.agent.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CaddyAdminTest {

    @Test
    void readsTheStatusAndBody() throws IOException {
        var answer = CaddyAdmin.parse("HTTP/1.0 400 Bad Request\r\nContent-Type: application/json\r\n\r\n{\"error\":\"loading config: x\"}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(CaddyAdmin.errorOf(answer.body())).isEqualTo("loading config: x");
    }

    @Test
    void capsErrorsToOneLine() {
        assertThat(CaddyAdmin.errorOf("{\"error\":\"a\\n  b " + "c".repeat(500) + "\"}")).startsWith("a b c").hasSize(301);
        assertThat(CaddyAdmin.errorOf("plain text")).isEqualTo("plain text");
    }

    @Test
    void refusesWhatIsNotHttp() {
        assertThatThrownBy(() -> CaddyAdmin.parse("SSH-2.0\r\n".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
    }

    @Test
    void summarisesCaddysLogLines() {
        assertThat(CaddyLines.summary("{\"level\":\"error\",\"msg\":\"listening\",\"error\":\"bind: address already in use\"}"))
                .isEqualTo("listening: bind: address already in use");
        assertThat(CaddyLines.summary("Error: plain")).isEqualTo("Error: plain");
    }
}
