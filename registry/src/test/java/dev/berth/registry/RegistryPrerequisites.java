package dev.berth.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The host tools the registry fixtures run: Debian's {@code docker-registry}, {@code skopeo} and
 * {@code htpasswd} (apache2-utils). Tests call {@link #require()} first; without the tools they
 * are skipped, unless {@code BERTH_REQUIRE_RUNTIME=1} (CI), where a missing tool fails them.
 */
public final class RegistryPrerequisites {

    /** The tools, by absolute path. */
    public static final List<Path> TOOLS = List.of(Path.of("/usr/bin/docker-registry"), Path.of("/usr/bin/skopeo"),
            Path.of("/usr/bin/htpasswd"));

    private RegistryPrerequisites() {
    }

    /** Skips (or, with {@code BERTH_REQUIRE_RUNTIME=1}, fails) the calling test unless all tools are installed. */
    public static void require() {
        List<Path> missing = TOOLS.stream().filter(p -> !Files.isExecutable(p)).toList();
        if (missing.isEmpty()) return;
        String message = "registry test tools missing: " + missing
                + " (apt-get install docker-registry skopeo apache2-utils)";
        if ("1".equals(System.getenv("BERTH_REQUIRE_RUNTIME"))) Assertions.fail(message);
        Assumptions.abort(message);
    }
}
