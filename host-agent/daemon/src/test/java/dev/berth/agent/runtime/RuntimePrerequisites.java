package dev.berth.agent.runtime;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * What the runtime tests need from the host: root, runc and a static busybox. Missing, a test is
 * skipped on a developer machine but fails when BERTH_REQUIRE_RUNTIME=1 (as CI sets).
 */
public final class RuntimePrerequisites {
    public static final Path RUNC = Path.of("/usr/sbin/runc");
    public static final Path BUSYBOX = Path.of("/bin/busybox");

    private RuntimePrerequisites() {
    }

    public static void require() {
        String missing = null;
        if (!"root".equals(System.getProperty("user.name"))) missing = "the runtime tests must run as root";
        else if (!Files.isExecutable(RUNC)) missing = RUNC + " is missing: apt-get install runc";
        else if (!Files.isExecutable(BUSYBOX)) missing = BUSYBOX + " is missing: apt-get install busybox-static";
        if (missing == null) return;
        if ("1".equals(System.getenv("BERTH_REQUIRE_RUNTIME"))) fail(missing + " (BERTH_REQUIRE_RUNTIME=1)");
        Assumptions.abort(missing);
    }
}
