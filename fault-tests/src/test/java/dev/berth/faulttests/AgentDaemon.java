package dev.berth.faulttests;

import dev.berth.testfixtures.AgentCleanup;
import dev.berth.testfixtures.AgentLaunch;
import dev.berth.testfixtures.TestSubnets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One host agent as a daemon JVM of its own, the way the browser tests start them ({@link AgentLaunch}):
 * its own state directory, port range and container subnet, heartbeats every second. {@link #close}
 * stops it and removes what it leaves behind by design ({@link AgentCleanup}).
 */
final class AgentDaemon implements AutoCloseable {
    final String name;
    final Path state;
    final Path log;
    private final AgentLaunch launch;
    private Process process;
    /** The host id the platform gave it, from its stored credential. */
    private String hostId;

    private AgentDaemon(String name, Path state, AgentLaunch launch) {
        this.name = name;
        this.state = state;
        this.log = state.resolveSibling("agent-" + name + ".log");
        this.launch = launch;
    }

    String hostId() {
        return hostId;
    }

    /** Joins {@code platform} with {@code joinToken} (a file) and waits for its first heartbeat. */
    static AgentDaemon join(Path work, String name, String platform, String registry, String portRange, Path joinToken)
            throws Exception {
        Path state = work.resolve("agent-" + name);
        // A small heap and the C1 JIT alone: several agents and platform JVMs share the test machine.
        var agent = new AgentDaemon(name, state, new AgentLaunch(state, portRange, TestSubnets.claim(), registry, platform,
                List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"), List.of()));
        try {
            ProcessLogs.register("agent " + name, agent.log);
            agent.process = agent.launch.start(name, agent.log, "--join-token-file", joinToken.toString());
            agent.hostId = AgentLaunch.hostId(state);
        } catch (Exception | AssertionError e) {
            agent.close();
            throw e;
        }
        return agent;
    }

    /** The names of the containers its runc knows, running or not. */
    List<String> containers() throws IOException {
        return AgentCleanup.containers(state);
    }

    @Override
    public void close() throws Exception {
        try {
            AgentCleanup.stop(process);
            AgentCleanup.removeLeftovers(state);
        } finally {
            TestSubnets.release(launch.subnet());
        }
    }
}
