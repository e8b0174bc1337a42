package dev.berth.agent.metrics;

import dev.berth.agent.protocol.ContainerMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads one container's resource use: CPU, memory, its limit and pids from its cgroup, network
 * bytes from its network namespace.
 *
 * <p>Network bytes come from {@code /proc/<pid>/net/dev} of the container's init process rather than
 * from the host side of its veth: the file is reached through the process the agent already
 * tracks, whatever the interface is named, whichever way the namespace was wired (CNI bridge or
 * none), and its counters die with the namespace instead of being confused with a later
 * container's veth of the same name.
 */
public final class ContainerSampler {
    private final Path cgroupRoot;
    private final Path proc;
    private final boolean cgroupV2;

    /**
     * @param cgroupRoot where cgroup hierarchies are mounted, {@code /sys/fs/cgroup}
     * @param proc {@code /proc}
     * @param cgroupV2 whether the host runs the unified hierarchy (else v1, one mount per controller)
     */
    public ContainerSampler(Path cgroupRoot, Path proc, boolean cgroupV2) {
        this.cgroupRoot = cgroupRoot;
        this.proc = proc;
        this.cgroupV2 = cgroupV2;
    }

    /**
     * A sample of the container runc put at {@code cgroupsPath} whose init process is {@code pid};
     * empty when its cgroup or process is gone (it just ended) or a file cannot be read.
     */
    public Optional<ContainerMetrics> sample(String cgroupsPath, long pid) {
        try {
            String relative = cgroupsPath.startsWith("/") ? cgroupsPath.substring(1) : cgroupsPath;
            long cpu;
            long usage;
            String memoryStat;
            Long limit;
            long pids;
            if (cgroupV2) {
                Path dir = cgroupRoot.resolve(relative);
                cpu = CgroupFiles.cpuNanosV2(read(dir.resolve("cpu.stat")));
                usage = CgroupFiles.number(read(dir.resolve("memory.current")));
                memoryStat = read(dir.resolve("memory.stat"));
                limit = boxed(CgroupFiles.limit(read(dir.resolve("memory.max"))));
                pids = CgroupFiles.number(read(dir.resolve("pids.current")));
            } else {
                cpu = CgroupFiles.number(read(cgroupRoot.resolve("cpuacct").resolve(relative).resolve("cpuacct.usage")));
                Path memory = cgroupRoot.resolve("memory").resolve(relative);
                usage = CgroupFiles.number(read(memory.resolve("memory.usage_in_bytes")));
                memoryStat = read(memory.resolve("memory.stat"));
                limit = boxed(CgroupFiles.limit(read(memory.resolve("memory.limit_in_bytes"))));
                pids = CgroupFiles.number(read(cgroupRoot.resolve("pids").resolve(relative).resolve("pids.current")));
            }
            var net = NetDev.parse(read(proc.resolve(Long.toString(pid)).resolve("net").resolve("dev")));
            return Optional.of(new ContainerMetrics(cpu, CgroupFiles.workingSet(usage, memoryStat, cgroupV2), limit, pids,
                    net.rxBytes(), net.txBytes()));
        } catch (IOException | RuntimeException gone) {
            // ended between the look and the read, or a controller is not mounted: no sample this time
            return Optional.empty();
        }
    }

    private static Long boxed(java.util.OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file);
    }
}
