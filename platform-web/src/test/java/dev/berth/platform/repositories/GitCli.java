package dev.berth.platform.repositories;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's git command line as these tests run it: a HOME of their own, no system config, no
 * prompts, no stored credentials, C locale (so messages can be asserted) and a fixed identity.
 */
public final class GitCli {
    private final Path home;

    public GitCli(Path home) {
        this.home = home;
    }

    /** What one git command printed (stdout and stderr together) and returned. */
    public record Result(int exit, String out) {
    }

    public ProcessBuilder builder(Path dir, String... args) {
        var command = new ArrayList<>(List.of("git", "-c", "user.name=Ada Lovelace", "-c", "user.email=ada@example.com",
                "-c", "init.defaultBranch=main", "-c", "credential.helper="));
        command.addAll(List.of(args));
        var pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        pb.environment().put("LC_ALL", "C");
        return pb;
    }

    public Result run(Path dir, String... args) throws IOException, InterruptedException {
        var p = builder(dir, args).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("git " + String.join(" ", args) + " did not finish in 60 s: " + out);
        }
        return new Result(p.exitValue(), out);
    }

    /** Runs git and fails the test unless it succeeds; returns what it printed. */
    public String ok(Path dir, String... args) throws IOException, InterruptedException {
        Result r = run(dir, args);
        if (r.exit() != 0) throw new AssertionError("git " + String.join(" ", args) + " failed (" + r.exit() + "): " + r.out());
        return r.out();
    }
}
