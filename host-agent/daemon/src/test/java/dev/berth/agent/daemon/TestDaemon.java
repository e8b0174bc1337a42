package dev.berth.agent.daemon;

import dev.berth.agent.BerthAgent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A daemon in its own JVM, as an operator starts it, and the CLI calls tests make against it. */
final class TestDaemon {
    private TestDaemon() {
    }

    /** What one CLI call printed and returned. */
    record Result(int exit, String out, String err) {
    }

    /** Starts {@code berth-agent --state-dir STATE daemon ARGS...}, logging to {@code log}; returns once it listens. */
    static Process start(Path state, Path log, Path workingDir, String... daemonArgs) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Files.deleteIfExists(workingDir.resolve(state).resolve("run/agent.sock"));
        var command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                BerthAgent.class.getName(), "--state-dir", state.toString(), "daemon"));
        command.addAll(List.of(daemonArgs));
        var p = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        var deadline = Instant.now().plus(Duration.ofSeconds(30));
        // Ready once it says so: the socket file appears a moment before it accepts connections.
        while (!Files.exists(log) || !Files.readString(log).contains("listening on")) {
            if (!p.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError("daemon did not start: " + (Files.exists(log) ? Files.readString(log) : ""));
            }
            Thread.sleep(50);
        }
        return p;
    }

    /** Runs the CLI in this JVM against the daemon of {@code state}. */
    static Result cli(Path state, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var list = new ArrayList<>(List.of("--state-dir", state.toString()));
        list.addAll(List.of(args));
        int code = BerthAgent.execute(list, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
