package dev.berth.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** docker-compose.test.yml stays valid: checked by Debian's docker-compose, no daemon needed. */
class ComposeFileTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final RuntimePrerequisite COMPOSE = new RuntimePrerequisite(Path.of("/usr/bin/docker-compose"),
            "install it with 'apt-get install docker-compose'");

    private record Result(int exit, String output) {
    }

    private static Result config(Map<String, String> env) throws IOException, InterruptedException {
        var pb = new ProcessBuilder("/usr/bin/docker-compose", "-f", "docker-compose.test.yml", "config")
                .directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().remove("BERTH_ADMIN_PASSWORD");
        pb.environment().putAll(env);
        var p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    @BeforeEach
    void needsDockerCompose() {
        COMPOSE.require();
    }

    @Test
    void theFileIsValidAndWiresThePlatformToItsDatabase() throws Exception {
        var result = config(Map.of("BERTH_ADMIN_PASSWORD", "a-long-enough-password"));
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output())
                .contains("BERTH_DATABASE_URL: jdbc:postgresql://postgres:5432/berth")
                .contains("condition: service_healthy")
                .contains("context: " + ROOT.resolve("platform-web"));
        var dockerfile = Files.readString(ROOT.resolve("platform-web/Dockerfile"));
        assertThat(dockerfile).contains("COPY target/berth-platform-web-*-exec.jar");
    }

    @Test
    void itRefusesToStartWithoutAnAdminPassword() throws Exception {
        var result = config(Map.of());
        assertThat(result.exit()).isNotZero();
        assertThat(result.output()).contains("set BERTH_ADMIN_PASSWORD");
    }
}
