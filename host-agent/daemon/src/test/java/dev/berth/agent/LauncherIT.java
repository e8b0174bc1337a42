package dev.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** After {@code package}, target/ holds a launcher that runs the agent from its jar and lib/. */
class LauncherIT {
    private static final Path TARGET = Path.of("target");

    private static String run(String... args) throws Exception {
        var command = new java.util.ArrayList<>(java.util.List.of(TARGET.resolve("berth-agent").toString()));
        command.addAll(java.util.List.of(args));
        var pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        var p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() + " " + out;
    }

    @Test
    void theInstallableDirectoryIsComplete() throws Exception {
        assertThat(Files.isExecutable(TARGET.resolve("berth-agent"))).isTrue();
        assertThat(TARGET.resolve("berth-agent-daemon.jar")).exists();
        assertThat(TARGET.resolve("berth-agent.service")).content().contains("KillMode=process");
        try (var lib = Files.list(TARGET.resolve("lib"))) {
            assertThat(lib.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("jnr-ffi"))
                    .anyMatch(n -> n.startsWith("berth-agent-protocol"));
        }
    }

    @Test
    void theLauncherRunsTheCommandLine() throws Exception {
        assertThat(run("--state-dir", "/nonexistent/berth", "ps"))
                .startsWith("3 ").contains("no daemon at /nonexistent/berth/run/agent.sock");
        assertThat(run("frobnicate")).startsWith("2 ").contains("unknown command 'frobnicate'").contains("usage: berth-agent");
    }
}
