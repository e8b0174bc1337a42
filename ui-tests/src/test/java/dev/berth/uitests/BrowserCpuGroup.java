package dev.berth.uitests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A cgroup (v1 {@code cpu} controller) with a small CPU weight for the Chromium processes of a
 * benchmark, whose people's browsers would run on their own machines, not on the platform's two
 * cores. Neither nice values nor autogroups keep Chromium back: running as root, it raises its
 * renderers' priority again (nice 0, even -8), and it starts every renderer in a session, so an
 * autogroup, of its own. A cgroup is inherited by every process chromedriver starts and none of
 * them leaves it. Removed on close, once its processes have ended.
 */
final class BrowserCpuGroup implements AutoCloseable {
    private static final Path CPU = Path.of("/sys/fs/cgroup/cpu");
    private final Path dir;

    private BrowserCpuGroup(Path dir) {
        this.dir = dir;
    }

    /**
     * A group of {@code shares} ({@code cpu.shares}: 1024 is a nice-0 process's weight, 2 the least).
     * Fails with why on a host without the v1 cpu controller.
     */
    static BrowserCpuGroup create(int shares) throws IOException {
        if (!Files.isWritable(CPU.resolve("cgroup.procs"))) {
            throw new IOException(CPU + " (the cgroup v1 cpu controller) is not writable here; run the benchmark with"
                    + " -Dbench.browser-shares=0 to give the browsers the platform's weight");
        }
        Path dir = Files.createDirectories(CPU.resolve("berth-benchmark-browsers-" + ProcessHandle.current().pid()));
        Files.writeString(dir.resolve("cpu.shares"), Integer.toString(shares));
        return new BrowserCpuGroup(dir);
    }

    /** The file a process writes its pid to, to join. */
    Path procs() {
        return dir.resolve("cgroup.procs");
    }

    /** Removes the group; a browser process still ending keeps it (rmdir is refused) for up to 10 s. */
    @Override
    public void close() throws IOException, InterruptedException {
        for (int tries = 0; ; tries++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException busy) {
                if (tries == 100) throw new IOException("browser cgroup " + dir + " still has processes: " + busy.getMessage());
                Thread.sleep(100);
            }
        }
    }
}
