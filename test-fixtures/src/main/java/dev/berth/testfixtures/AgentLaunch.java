package dev.berth.testfixtures;

import dev.berth.agent.BerthAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a test starts a host agent: a daemon JVM of its own on this JVM's classpath, with its own state
 * directory, port range (published on 127.0.0.1) and container subnet (claimed from {@link TestSubnets}),
 * pulling from a loopback registry and heartbeating every second.
 *
 * @param state the agent's state directory; its parent is the daemon's working directory
 * @param portRange the ports it publishes from, such as {@code 21000-21099}
 * @param subnet its container subnet; agents on one host need subnets of their own, side-by-side tests' included
 * @param registry the {@code host:port} of the loopback registry it may reach without TLS
 * @param platform the base URL it joins and heartbeats to
 * @param jvmOptions options for the daemon's JVM (heap, JIT) beyond native access
 * @param options daemon options beyond those above (such as {@code --edge}), kept across restarts
 */
public record AgentLaunch(Path state, String portRange, String subnet, String registry, String platform,
                          List<String> jvmOptions, List<String> options) {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** A daemon's start is a JVM starting and a join's round trips; a loaded machine gets a minute. */
    private static final Duration JOIN_WITHIN = Duration.ofSeconds(60);

    public AgentLaunch {
        jvmOptions = List.copyOf(jvmOptions);
        options = List.copyOf(options);
    }

    /** The daemon's command line, {@code extra} (such as {@code --join-token-file F}) last. */
    public List<String> command(String... extra) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        var command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                BerthAgent.class.getName(), "--state-dir", state.toString(), "daemon",
                "--publish-address", "127.0.0.1", "--port-range", portRange,
                "--container-subnet", subnet, "--insecure-registry", registry,
                "--platform", platform, "--heartbeat-seconds", "1"));
        command.addAll(options);
        command.addAll(List.of(extra));
        return command;
    }

    /**
     * Starts the daemon, its output appended to {@code log}, and returns once it says its heartbeats
     * reach the platform; an AssertionError with what it wrote when it exits or takes over a minute.
     */
    public Process start(String name, Path log, String... extra) throws IOException, InterruptedException {
        long before = Files.exists(log) ? Files.size(log) : 0;
        var process = new ProcessBuilder(command(extra)).directory(state.getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        var deadline = Instant.now().plus(JOIN_WITHIN);
        while (true) {
            String written = Files.exists(log) ? Files.readString(log) : "";
            String since = written.length() > before ? written.substring((int) before) : "";
            if (since.contains("heartbeats reach")) return process;
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                AgentCleanup.stop(process);
                throw new AssertionError("agent " + name + " did not join: " + since);
            }
            Thread.sleep(50);
        }
    }

    /** The host id the platform gave the agent with state directory {@code state}, from its stored credential. */
    public static String hostId(Path state) throws IOException {
        String credential = Files.readString(state.resolve("platform/credential.json"));
        String hostId = JSON.readTree(credential).path("hostId").asString();
        if (hostId.isEmpty()) throw new AssertionError("no hostId in the agent's credential: " + credential);
        return hostId;
    }
}
