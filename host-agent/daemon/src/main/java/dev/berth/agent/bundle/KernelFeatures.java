package dev.berth.agent.bundle;

import java.util.Set;

/**
 * The kernel features every Berth container relies on, as probed at the edge.
 *
 * @param userNamespaces whether the kernel allows new user namespaces ({@code max_user_namespaces > 0})
 * @param seccompFilters whether seccomp filter mode is compiled in
 * @param cgroupControllers the enabled cgroup controllers ({@code /proc/cgroups})
 * @param loopDevices whether {@code /dev/loop-control} exists, for size-capped volumes
 */
public record KernelFeatures(boolean userNamespaces, boolean seccompFilters, Set<String> cgroupControllers,
                             boolean loopDevices) {
    public KernelFeatures {
        cgroupControllers = Set.copyOf(cgroupControllers);
    }
}
