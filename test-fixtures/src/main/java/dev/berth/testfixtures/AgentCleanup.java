package dev.berth.testfixtures;

import dev.berth.agent.daemon.AgentService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Stops a test's agent daemon and removes what it leaves behind by design: its containers (they
 * outlive the agent under runc), the namespaces it pinned for networked containers (bind mounts in
 * its state directory) and its nftables table. Unpinned namespaces take the containers' veths and
 * routes with them, which would otherwise send the next test's traffic for the same addresses astray.
 */
public final class AgentCleanup {
    private AgentCleanup() {
    }

    /** SIGTERM, then SIGKILL if the daemon is still there after 15 s; nothing when it is not running. */
    public static void stop(Process daemon) throws InterruptedException {
        if (daemon == null || !daemon.isAlive()) return;
        daemon.destroy();
        if (!daemon.waitFor(15, TimeUnit.SECONDS)) daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** The names of the containers the agent with state directory {@code state} had runc keep, running or not. */
    public static List<String> containers(Path state) throws IOException {
        Path root = runcRoot(state);
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.map(d -> d.getFileName().toString()).sorted().toList();
        }
    }

    /** Where the agent's runc keeps its containers: {@code runc --root} this to exec in one. */
    public static Path runcRoot(Path state) {
        return state.resolve("runc");
    }

    /**
     * Deletes the stopped agent's containers, detaches the mounts below {@code state} and deletes its
     * firewall table (there is none if no container had a network). Each step runs whatever the
     * others did, and none fails the caller: a leftover must not hide the test's own result.
     */
    public static void removeLeftovers(Path state) throws IOException, InterruptedException {
        for (String container : containers(state)) {
            run(AgentPrerequisites.RUNC.toString(), "--root", runcRoot(state).toString(), "delete", "--force", container);
        }
        for (String point : mountPointsUnder(Files.readAllLines(Path.of("/proc/self/mountinfo")), state)) {
            run("/usr/bin/umount", "--lazy", point);
        }
        run("/usr/sbin/nft", "delete", "table", "inet", AgentService.firewallTable(state));
    }

    /**
     * The mount points below {@code dir} in {@code mountinfo} (the lines of {@code /proc/self/mountinfo}),
     * deepest first so that each detaches before what holds it: the fifth field, octal escapes undone.
     */
    static List<String> mountPointsUnder(List<String> mountinfo, Path dir) {
        String prefix = dir.toAbsolutePath().normalize() + "/";
        return mountinfo.stream()
                .map(line -> unescape(line.split(" ")[4]))
                .filter(point -> point.startsWith(prefix))
                .sorted(Comparator.reverseOrder())
                .toList();
    }

    /** The kernel writes a space, tab, newline or backslash in a mount point as a backslash and three octal digits. */
    private static String unescape(String field) {
        var out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            if (field.charAt(i) == '\\' && i + 3 < field.length()) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(field.charAt(i));
            }
        }
        return out.toString();
    }

    private static void run(String... command) throws IOException, InterruptedException {
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                .waitFor(20, TimeUnit.SECONDS);
    }
}
