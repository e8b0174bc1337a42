package dev.berth.faulttests;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The git CLI as a person would run it, with a throwaway HOME and no credential helpers or prompts. */
final class Git {
    private Git() {
    }

    /** Runs git in {@code dir}; the combined output, or an AssertionError with it when git fails. */
    static String run(Path home, Path dir, String... args) throws Exception {
        var p = start(home, dir, args);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new AssertionError("git " + String.join(" ", args) + " failed: " + out);
        return out;
    }

    /** Starts git in {@code dir}, its output merged into the process's input stream. */
    static Process start(Path home, Path dir, String... args) throws Exception {
        var command = new ArrayList<>(List.of("git", "-c", "user.name=Ada Lovelace", "-c", "user.email=ada@example.com",
                "-c", "init.defaultBranch=main", "-c", "credential.helper="));
        command.addAll(List.of(args));
        var pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        return pb.start();
    }
}
