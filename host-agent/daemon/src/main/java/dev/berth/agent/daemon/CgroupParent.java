package dev.berth.agent.daemon;

import dev.berth.agent.bundle.OciSpec;
import dev.berth.agent.runtime.ContainerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

/**
 * Where runc puts this agent's containers: under a parent of the agent's own, so two agents on one
 * host (each with its state directory) never share a cgroup, even for containers of the same name.
 * Also finds a container's memory cgroup, where the kernel counts its OOM kills.
 */
final class CgroupParent {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private final String parent;
    private final boolean cgroupV2;

    CgroupParent(AgentTag agent, boolean cgroupV2) {
        this.parent = agent.cgroupParent();
        this.cgroupV2 = cgroupV2;
    }

    /** The cgroups path runc is given for the container of this name. */
    String cgroupsPath(String name) {
        return parent + "/" + name;
    }

    /** The memory cgroup of the container of this name, started at {@link #cgroupsPath}. */
    Path memoryCgroup(String name) {
        return memoryCgroupAt(cgroupsPath(name));
    }

    /** The memory cgroup a container was started in, as its bundle says (an older agent may have used another scheme). */
    Path memoryCgroup(OciSpec bundle, String name) {
        String path = bundle == null || bundle.linux == null ? null : bundle.linux.cgroupsPath;
        return path != null && path.startsWith("/") ? memoryCgroupAt(path) : memoryCgroup(name);
    }

    /**
     * Removes this agent's parent cgroup where it is empty (runc removes only the container's own),
     * so agents that come and go leave no cgroups behind. One with containers left stays.
     */
    void release() {
        var candidates = new ArrayList<Path>();
        candidates.add(ROOT.resolve(parent.substring(1)));
        try (var hierarchies = Files.list(ROOT)) {
            hierarchies.forEach(h -> candidates.add(h.resolve(parent.substring(1))));
        } catch (IOException e) {
            return;
        }
        for (Path p : candidates) {
            try {
                if (Files.isDirectory(p)) Files.delete(p); // a cgroup is removed with rmdir
            } catch (IOException busy) {
                // containers of this agent remain in it
            }
        }
    }

    private Path memoryCgroupAt(String cgroupsPath) {
        return ContainerProcess.memoryCgroup(ROOT, cgroupV2, cgroupsPath);
    }
}
