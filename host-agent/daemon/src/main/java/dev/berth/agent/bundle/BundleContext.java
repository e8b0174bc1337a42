package dev.berth.agent.bundle;

import dev.berth.agent.protocol.ContainerSpec;
import java.util.Map;

/**
 * Everything a bundle is built from. {@code rootfs} is the host directory prepared as the
 * container's root filesystem (for its id range); {@code volumeSources} maps each volume name to
 * the host directory where its filesystem is mounted; {@code cgroupsPath} is where runc puts the
 * container.
 */
public record BundleContext(ContainerSpec container, HostFacts host, IdRange ids, String rootfs,
                            Map<String, String> volumeSources, String cgroupsPath) {
    public BundleContext {
        volumeSources = Map.copyOf(volumeSources);
    }
}
