package dev.berth.agent.daemon;

import java.time.Duration;

/** Cleaning up after tests that open an {@link AgentService} of their own. */
final class TestAgents {
    private TestAgents() {
    }

    /** A fresh temporary directory others may pass through (0711), as a state directory's parents must be for containers. */
    static java.nio.file.Path passableTempDirectory(String prefix) throws java.io.IOException {
        var dir = java.nio.file.Files.createTempDirectory(prefix);
        java.nio.file.Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        return dir;
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
