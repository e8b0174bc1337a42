package dev.berth.agent.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;

/**
 * The agent's state directory holds the containers' root filesystems, which their unprivileged
 * (user-namespaced) root must reach: every directory above it must let others pass through.
 */
final class StateDirectory {
    private StateDirectory() {
    }

    /** Fails, naming the first directory above {@code state} that others cannot pass through, and the fix. */
    static void requireSearchable(Path state) throws IOException {
        for (Path dir = state.toAbsolutePath().normalize().getParent(); dir != null; dir = dir.getParent()) {
            var permissions = Files.getPosixFilePermissions(dir);
            if (!permissions.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IOException("containers cannot reach their root filesystems under " + state + ": " + dir
                        + " does not let others pass through (mode " + java.nio.file.attribute.PosixFilePermissions.toString(permissions)
                        + "); run 'chmod o+x " + dir + "' or choose a --state-dir whose parents are searchable");
            }
        }
    }
}
