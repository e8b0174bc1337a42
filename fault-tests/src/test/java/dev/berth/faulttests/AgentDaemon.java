package dev.berth.faulttests;

import dev.berth.platform.TestSubnets;

import dev.berth.agent.BerthAgent;
import dev.berth.agent.daemon.AgentService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One host agent as a daemon JVM of its own, the way the browser tests start them: its own state
 * directory, port range and container subnet, heartbeats every second. {@link #close} stops it and
 * removes what it leaves behind by design: containers, pinned namespaces, its nftables table.
 */
final class AgentDaemon implements AutoCloseable {
    static final Path RUNC = Path.of("/usr/sbin/runc");

    final String name;
    final Path state;
    final Path log;
    private final List<String> command;
    private final String subnet;
    private Process process;
    /** The host id the platform gave it, from its stored credential. */
    private String hostId;

    private AgentDaemon(String name, Path state, List<String> command, String subnet) {
        this.name = name;
        this.state = state;
        this.log = state.resolveSibling("agent-" + name + ".log");
        this.command = command;
        this.subnet = subnet;
    }

    String hostId() {
        return hostId;
    }

    /** Joins {@code platform} with {@code joinToken} (a file) and waits for its first heartbeat. */
    static AgentDaemon join(Path work, String name, String platform, String registry, String portRange, Path joinToken)
            throws Exception {
        String subnet = TestSubnets.claim();
        Path state = work.resolve("agent-" + name);
        String java = ProcessHandle.current().info().command().orElseThrow();
        var command = List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                BerthAgent.class.getName(), "--state-dir", state.toString(), "daemon",
                "--publish-address", "127.0.0.1", "--port-range", portRange,
                "--container-subnet", subnet, "--insecure-registry", registry,
                "--platform", platform, "--heartbeat-seconds", "1");
        var agent = new AgentDaemon(name, state, command, subnet);
        try {
            agent.launch("--join-token-file", joinToken.toString());
        } catch (Exception | AssertionError e) {
            agent.close();
            throw e;
        }
        String credential = Files.readString(state.resolve("platform/credential.json"));
        var m = Pattern.compile("\"hostId\"\\s*:\\s*\"([^\"]+)\"").matcher(credential);
        if (!m.find()) throw new AssertionError("no hostId in the agent's credential: " + credential);
        agent.hostId = m.group(1);
        return agent;
    }

    private void launch(String... extra) throws Exception {
        var full = new ArrayList<>(command);
        full.addAll(List.of(extra));
        ProcessLogs.register("agent " + name, log);
        long before = Files.exists(log) ? Files.size(log) : 0;
        process = new ProcessBuilder(full).directory(state.getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        var deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            if (text.length() > before && text.substring((int) before).contains("heartbeats reach")) return;
            if (!process.isAlive() || Instant.now().isAfter(deadline)) throw new AssertionError("agent " + name + " did not join");
            Thread.sleep(50);
        }
    }

    /** The names of the containers its runc knows, running or not. */
    List<String> containers() throws IOException {
        Path root = state.resolve("runc");
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.map(d -> d.getFileName().toString()).sorted().toList();
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try {
            for (String container : containers()) {
                run(RUNC.toString(), "--root", state.resolve("runc").toString(), "delete", "--force", container);
            }
            // The namespaces pinned for networked containers are bind mounts in its state directory.
            for (String point : mountsUnder(state)) run("/usr/bin/umount", "--lazy", point);
            run("/usr/sbin/nft", "delete", "table", "inet", AgentService.firewallTable(state));
        } finally {
            TestSubnets.release(subnet);
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                .waitFor(20, TimeUnit.SECONDS);
    }

    /** Mount points below {@code dir}, deepest first ({@code /proc/self/mountinfo}'s fifth field, octal escapes undone). */
    private static List<String> mountsUnder(Path dir) throws IOException {
        String prefix = dir.toAbsolutePath().normalize() + "/";
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .map(line -> unescape(line.split(" ")[4]))
                .filter(point -> point.startsWith(prefix))
                .sorted(Comparator.reverseOrder())
                .toList();
    }

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
}
