package dev.berth.agent.bundle;

import java.io.IOException;
import dev.berth.agent.runtime.Runc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** The I/O edge that gathers {@link HostFacts}: asks runc, the kernel and the cgroup filesystem. */
public final class HostProbe {
    private HostProbe() {
    }

    /** Probes this host; fails with a sentence that says what is missing. */
    public static HostFacts probe(Runc runc) throws IOException {
        String out = runc.features();
        boolean unified = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
        return new HostFacts(architecture(System.getProperty("os.arch")), unified, System.getProperty("os.version"),
                RuntimeFeaturesParser.parse(out));
    }

    /** Reads the kernel features the profile needs from {@code proc} and {@code dev} (normally /proc and /dev). */
    public static KernelFeatures kernel(Path proc, Path dev) throws IOException {
        Path maxUserNs = proc.resolve("sys/user/max_user_namespaces");
        boolean userNs = Files.exists(proc.resolve("self/ns/user"))
                && (!Files.exists(maxUserNs) || Long.parseLong(Files.readString(maxUserNs).strip()) > 0);
        Path seccompActions = proc.resolve("sys/kernel/seccomp/actions_avail");
        boolean seccomp = Files.exists(seccompActions) && Files.readString(seccompActions).contains("errno");
        return new KernelFeatures(userNs, seccomp, enabledControllers(proc.resolve("cgroups")),
                Files.exists(dev.resolve("loop-control")));
    }

    /** Controllers whose "enabled" column in /proc/cgroups is 1. */
    static Set<String> enabledControllers(Path procCgroups) throws IOException {
        if (!Files.exists(procCgroups)) return Set.of();
        var enabled = new HashSet<String>();
        for (String line : Files.readAllLines(procCgroups)) {
            String[] f = line.strip().split("\\s+");
            if (line.startsWith("#") || f.length < 4) continue;
            if (f[3].equals("1")) enabled.add(f[0]);
        }
        return enabled;
    }

    /** The OCI/Go name of a JVM architecture name. */
    static String architecture(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> throw new IllegalArgumentException("unsupported architecture " + osArch);
        };
    }
}
