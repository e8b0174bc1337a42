package dev.berth.agent.runtime;

import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.protocol.ContainerSpec;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the one-class-per-feature runtime tests: a busybox container built from the profile
 * runs a script on real runc and the real kernel and reports, from inside, what it finds.
 */
abstract class InsideContainerTest {
    static final IdRange RANGE = new IdRange(6 * 65536, IdRange.SIZE);
    private static RuntimeFixture host;

    @BeforeAll
    static void setUp() throws IOException {
        host = new RuntimeFixture(RANGE, "sh", "cat", "grep", "echo", "ls", "id", "unshare", "mount", "mknod", "touch",
                "cp", "chmod", "head", "true");
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (host != null) host.close();
    }

    /** Runs a shell script as a container with a 1Mi tmpfs at /tmp and returns what it printed. */
    static String inContainer(String script) throws IOException, InterruptedException {
        var spec = host.spec(script, new ContainerSpec.Resources(64L << 20, 500, 64),
                List.of(new ContainerSpec.TmpfsMount("/tmp", 1L << 20)));
        return host.runToEnd(spec, Map.of());
    }

    static String statusField(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1).strip())
                .findFirst().orElseThrow(() -> new AssertionError(name + " not in " + status));
    }
}
