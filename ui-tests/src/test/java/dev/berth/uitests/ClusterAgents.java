package dev.berth.uitests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testfixtures.AgentCleanup;
import dev.berth.testfixtures.AgentLaunch;
import dev.berth.testfixtures.TestSubnets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The agent daemons of a {@link Cluster}, as separate JVMs with their own state directories (in the
 * cluster's work directory), port ranges and container subnets. Closing stops them and removes what
 * they leave behind: containers, pinned namespaces, firewall tables.
 */
final class ClusterAgents implements AutoCloseable {
    private final Path work;
    private final String registry;
    private final String platform;
    private final Map<String, Agent> agents = new LinkedHashMap<>();

    /** Agents in {@code work} pulling from {@code registry} ({@code host:port}) and joining {@code platform} (a base URL). */
    ClusterAgents(Path work, String registry, String platform) {
        this.work = work;
        this.registry = registry;
        this.platform = platform;
    }

    /**
     * Starts an agent daemon that joins with {@code joinToken} and publishes from {@code portRange};
     * {@code options} go to its daemon command line too, now and on restarts.
     */
    Agent start(String name, String portRange, String joinToken, String... options) throws Exception {
        Path tokenFile = work.resolve(name + ".join-token");
        Files.writeString(tokenFile, joinToken);
        Path state = work.resolve("agent-" + name);
        var agent = new Agent(name, state, work.resolve("agent-" + name + ".log"),
                new AgentLaunch(state, portRange, TestSubnets.claim(), registry, platform, List.of(), List.of(options)));
        synchronized (agents) {
            agents.put(name, agent);
        }
        agent.process = agent.launch.start(name, agent.log, "--join-token-file", tokenFile.toString());
        agent.hostId = AgentLaunch.hostId(state);
        return agent;
    }

    /** Starts {@code agent} again on its state directory and stored credential. */
    void restart(Agent agent) throws Exception {
        agent.process = agent.launch.start(agent.name, agent.log);
    }

    /** SIGKILL, as a crash or an OOM kill of the agent would: its containers keep running under runc. */
    void kill(Agent agent) throws InterruptedException {
        agent.process.destroyForcibly();
        assertThat(agent.process.waitFor(10, TimeUnit.SECONDS)).as("agent %s dies", agent.name).isTrue();
    }

    Agent get(String name) {
        synchronized (agents) {
            return agents.get(name);
        }
    }

    /** Stops every agent, removes what each left (containers outlive their agent by design) and gives its subnet back. */
    @Override
    public void close() throws InterruptedException {
        List<Agent> all;
        synchronized (agents) {
            all = List.copyOf(agents.values());
        }
        for (var agent : all) {
            try {
                AgentCleanup.stop(agent.process);
                AgentCleanup.removeLeftovers(agent.state);
            } catch (IOException e) {
                System.err.println("could not remove the containers of agent " + agent.name + ": " + e.getMessage());
            } finally {
                TestSubnets.release(agent.launch.subnet());
            }
        }
    }
}
