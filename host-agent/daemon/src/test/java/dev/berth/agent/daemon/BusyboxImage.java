package dev.berth.agent.daemon;

import dev.berth.agent.image.ImageService;
import dev.berth.registry.TestImages;
import dev.berth.registry.TestImages.Entry;
import dev.berth.registry.TestImages.Layer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A busybox image for platform assignments, imported without a registry: the platform sends
 * images, never a host directory (a {@code rootfs} in an assignment is refused).
 */
public final class BusyboxImage {
    /**
     * The reference assignments name; the import tags the layout's ref "1". Its registry is
     * loopback port 1, where nothing listens: an agent without the import fails at once, reaching
     * for nothing off this host.
     */
    public static final String REFERENCE = "127.0.0.1:1/berth-test/busybox:1";

    private BusyboxImage() {
    }

    /** Writes the image as an OCI layout under {@code dir}; returns the layout directory. */
    public static Path layout(Path dir) throws IOException {
        var extra = Layer.of(Entry.dir("www"), Entry.dir("data"), Entry.symlink("bin/env", "busybox"),
                Entry.symlink("bin/true", "busybox"));
        return TestImages.writeLayout(dir, "1", TestImages.busybox().withLayers(extra)).layout();
    }

    /** Imports the image into the agent. */
    public static void importInto(AgentService agent, Path work) throws IOException {
        agent.images().importLayout(layout(work.resolve("busybox-layout")), "127.0.0.1:1/berth-test/busybox", new ImageService.Progress() {
            @Override
            public void blob(String digest, long done, long total) {
            }
        });
    }
}
