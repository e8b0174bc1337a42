package dev.berth.platform;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A tool a test needs from the host. Missing, it skips the test on a developer machine but fails
 * it when BERTH_REQUIRE_RUNTIME=1 (as CI sets), so CI can never go green by skipping.
 */
public record RuntimePrerequisite(Path path, String installHint) {
    public void require() {
        if (Files.isExecutable(path)) return;
        String message = path + " is missing: " + installHint;
        if ("1".equals(System.getenv("BERTH_REQUIRE_RUNTIME"))) fail(message + " (BERTH_REQUIRE_RUNTIME=1)");
        Assumptions.abort(message);
    }
}
