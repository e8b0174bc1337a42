package dev.berth.agent.bundle;

import java.util.ArrayList;
import java.util.List;

/**
 * What a host must offer before the agent starts: the container profile has no opt-out, so a
 * missing feature stops the agent with a sentence per gap instead of running weaker containers.
 */
public final class HostRequirements {
    /** The cgroup controllers the profile sets limits with. */
    static final List<String> CONTROLLERS = List.of("memory", "pids", "cpu");

    private HostRequirements() {
    }

    /** One thing the host lacks, why Berth needs it, and how to get it. */
    public record Gap(String feature, String why, String fix) {
        @Override
        public String toString() {
            return feature + " (" + why + "): " + fix;
        }
    }

    /** Every gap between this host and the profile; empty when the agent may start. */
    public static List<Gap> gaps(HostFacts host, KernelFeatures kernel) {
        var gaps = new ArrayList<Gap>();
        if (!kernel.userNamespaces()) {
            gaps.add(new Gap("user namespaces", "every container runs in its own uid range",
                    "set user.max_user_namespaces above 0 (sysctl) or boot a kernel built with CONFIG_USER_NS"));
        } else if (!host.runtime().namespaces().contains("user")) {
            gaps.add(new Gap("user namespaces in runc", "every container runs in its own uid range",
                    "install a runc that lists 'user' in 'runc features'"));
        }
        if (!kernel.seccompFilters()) {
            gaps.add(new Gap("seccomp filters", "every container gets a syscall allow-list",
                    "boot a kernel built with CONFIG_SECCOMP_FILTER"));
        } else if (!host.runtime().seccompActions().contains("SCMP_ACT_ERRNO")) {
            gaps.add(new Gap("seccomp in runc", "every container gets a syscall allow-list",
                    "install a runc built with libseccomp"));
        }
        for (String controller : CONTROLLERS) {
            if (!kernel.cgroupControllers().contains(controller)) {
                gaps.add(new Gap("the " + controller + " cgroup controller", "every container has " + controller + " limits",
                        "enable it on the kernel command line (cgroup_enable=" + controller + ")"));
            }
        }
        if (!kernel.loopDevices()) {
            gaps.add(new Gap("loop devices", "volumes are size-capped ext4 images",
                    "load the loop module (modprobe loop)"));
        }
        return List.copyOf(gaps);
    }

    /** The sentence the agent stops with, or null when nothing is missing. */
    public static String refusal(List<Gap> gaps) {
        if (gaps.isEmpty()) return null;
        var text = new StringBuilder("this host lacks what every Berth container needs:");
        gaps.forEach(g -> text.append("\n  - ").append(g));
        return text.toString();
    }
}
