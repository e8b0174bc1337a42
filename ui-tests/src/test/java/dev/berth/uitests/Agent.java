package dev.berth.uitests;

import dev.berth.testfixtures.AgentCleanup;
import dev.berth.testfixtures.AgentLaunch;
import java.nio.file.Path;
import java.util.List;

/** One agent daemon of a {@link Cluster}: how it is launched, its process, state directory, log and host id. */
final class Agent {
    final String name;
    final Path state;
    final Path log;
    /** Its command line: port range, container subnet (claimed from TestSubnets) and options, kept across restarts. */
    final AgentLaunch launch;
    /** Daemon options of this agent beyond those every agent gets (such as {@code --peer-listen}). */
    final List<String> options;
    Process process;
    String hostId;

    Agent(String name, Path state, Path log, AgentLaunch launch) {
        this.name = name;
        this.state = state;
        this.log = log;
        this.launch = launch;
        this.options = launch.options();
    }

    /** Where its runc keeps its containers: {@code runc --root} this to exec in one. */
    Path runcRoot() {
        return AgentCleanup.runcRoot(state);
    }
}
