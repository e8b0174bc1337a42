package dev.berth.agent.daemon;

import java.time.Duration;

/** Cleaning up after tests that open an {@link AgentService} of their own. */
final class TestAgents {
    private TestAgents() {
    }

    /** Stops and removes every container of {@code agent}, then closes it; nothing when it is null. */
    static void removeAllAndClose(AgentService agent) throws Exception {
        if (agent == null) return;
        for (var c : agent.ps()) {
            agent.stop(c.name(), Duration.ofSeconds(1));
            agent.remove(c.name());
        }
        agent.close();
    }
}
