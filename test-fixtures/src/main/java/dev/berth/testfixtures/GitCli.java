package dev.berth.testfixtures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The git CLI as a person would run it for a push: a throwaway HOME, no system configuration, no
 * credential helpers and no prompts, so a test's git never reads or asks for anything of the machine's.
 */
public final class GitCli {
    private GitCli() {
    }

    /** Runs git in {@code dir} with {@code home} as HOME; the combined output, or an AssertionError with it when git fails. */
    public static String run(Path home, Path dir, String... args) throws IOException, InterruptedException {
        var p = start(home, dir, args);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new AssertionError("git " + String.join(" ", args) + " failed: " + out);
        return out;
    }

    /** Starts git in {@code dir}, its output merged into the process's input stream, for a caller that judges the exit itself. */
    public static Process start(Path home, Path dir, String... args) throws IOException {
        var command = new ArrayList<>(List.of("git", "-c", "user.name=Ada Lovelace", "-c", "user.email=ada@example.com",
                "-c", "init.defaultBranch=main", "-c", "credential.helper="));
        command.addAll(List.of(args));
        var pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        return pb.start();
    }

    /** The revision id the platform printed (through git) for an accepted push; an AssertionError when there is none. */
    public static long revisionOf(String pushed) {
        var m = java.util.regex.Pattern.compile("revision (\\d+)").matcher(pushed);
        if (!m.find()) throw new AssertionError("no revision in: " + pushed);
        return Long.parseLong(m.group(1));
    }
}
