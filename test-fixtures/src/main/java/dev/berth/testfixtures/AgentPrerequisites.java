package dev.berth.testfixtures;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a real agent daemon needs on this machine: root and runc. Without them a test is skipped,
 * unless {@code BERTH_REQUIRE_RUNTIME=1} (CI, {@code ./berth test}) makes that a failure.
 */
public final class AgentPrerequisites {
    /** Debian's runc, which the agent runs containers with. */
    public static final Path RUNC = Path.of("/usr/sbin/runc");

    private AgentPrerequisites() {
    }

    /** Aborts the calling test (fails it with {@code BERTH_REQUIRE_RUNTIME=1}) when the daemon could not run here. */
    public static void require() {
        String missing = null;
        if (!"root".equals(System.getProperty("user.name"))) missing = "the agent daemon must run as root";
        else if (!Files.isExecutable(RUNC)) missing = RUNC + " is missing: apt-get install runc";
        if (missing == null) return;
        if ("1".equals(System.getenv("BERTH_REQUIRE_RUNTIME"))) Assertions.fail(missing + " (BERTH_REQUIRE_RUNTIME=1)");
        Assumptions.abort(missing);
    }
}
