package dev.berth.agent.edge;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import org.junit.jupiter.api.Assumptions;

/** What the edge tests need: root and Debian's caddy. Missing, they are skipped, but fail when BERTH_REQUIRE_RUNTIME=1. */
public final class EdgePrerequisites {
    public static final java.nio.file.Path CADDY = java.nio.file.Path.of("/usr/bin/caddy");

    private EdgePrerequisites() {
    }

    public static void require() {
        String missing = null;
        if (!"root".equals(System.getProperty("user.name"))) missing = "the edge tests must run as root";
        else if (!Files.isExecutable(CADDY)) missing = CADDY + " is missing: apt-get install caddy";
        if (missing == null) return;
        if ("1".equals(System.getenv("BERTH_REQUIRE_RUNTIME"))) fail(missing + " (BERTH_REQUIRE_RUNTIME=1)");
        Assumptions.abort(missing);
    }
}
