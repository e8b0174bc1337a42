package dev.berth.agent.bundle;

import java.util.ArrayList;
import java.util.List;

/**
 * The container profile as OCI defaults (see "The container profile" in docs/architecture.md):
 * what every container gets before any option touches it. Options narrow or fill in; the
 * validator makes sure none loosened it.
 */
public final class ContainerProfile {
    /** Docker's masked paths: hidden behind /dev/null or an empty read-only tmpfs. */
    public static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");
    /** Docker's read-only paths. */
    public static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");
    /** Character devices a container may use: null, zero, full, random, urandom, tty, ptmx, pts. */
    public static final List<OciSpec.DeviceRule> ALLOWED_DEVICES = List.of(
            new OciSpec.DeviceRule(true, "c", 1L, 3L, "rwm"),
            new OciSpec.DeviceRule(true, "c", 1L, 5L, "rwm"),
            new OciSpec.DeviceRule(true, "c", 1L, 7L, "rwm"),
            new OciSpec.DeviceRule(true, "c", 1L, 8L, "rwm"),
            new OciSpec.DeviceRule(true, "c", 1L, 9L, "rwm"),
            new OciSpec.DeviceRule(true, "c", 5L, 0L, "rwm"),
            new OciSpec.DeviceRule(true, "c", 5L, 2L, "rwm"),
            new OciSpec.DeviceRule(true, "c", 136L, null, "rwm"));
    public static final OciSpec.DeviceRule DENY_ALL_DEVICES = new OciSpec.DeviceRule(false, "a", null, null, "rwm");
    public static final long NOFILE = 4096;
    public static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private ContainerProfile() {
    }

    /** The namespaces every container gets; a cgroup namespace only on the unified hierarchy. */
    public static List<String> namespaces(HostFacts host) {
        var out = new ArrayList<>(List.of("pid", "network", "ipc", "uts", "mount", "user"));
        if (host.cgroupV2()) out.add("cgroup");
        return List.copyOf(out);
    }

    public static OciSpec defaults(HostFacts host) {
        var spec = new OciSpec();
        spec.root.readonly = true;
        spec.process.noNewPrivileges = true;
        spec.process.env.add(DEFAULT_PATH);
        spec.process.rlimits.add(new OciSpec.Rlimit("RLIMIT_NOFILE", NOFILE, NOFILE));
        capabilities(spec, List.copyOf(Capabilities.DEFAULT));
        spec.mounts.addAll(List.of(
                new OciSpec.Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                new OciSpec.Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                new OciSpec.Mount("/dev/pts", "devpts", "devpts",
                        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620")),
                new OciSpec.Mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
                new OciSpec.Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                new OciSpec.Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")),
                new OciSpec.Mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro"))));
        namespaces(host).forEach(ns -> spec.linux.namespaces.add(new OciSpec.Namespace(ns)));
        spec.linux.maskedPaths.addAll(MASKED_PATHS);
        spec.linux.readonlyPaths.addAll(READONLY_PATHS);
        spec.linux.resources.devices.add(DENY_ALL_DEVICES);
        spec.linux.resources.devices.addAll(ALLOWED_DEVICES);
        spec.linux.seccomp = SeccompPolicy.resolve(host.architecture(), Capabilities.DEFAULT, host.kernel());
        return spec;
    }

    /** Sets the same capability list in every set that grants it; inheritable and ambient stay empty. */
    static void capabilities(OciSpec spec, List<String> caps) {
        var c = spec.process.capabilities;
        c.bounding = new ArrayList<>(caps);
        c.effective = new ArrayList<>(caps);
        c.permitted = new ArrayList<>(caps);
        c.inheritable = new ArrayList<>();
        c.ambient = new ArrayList<>();
    }
}
