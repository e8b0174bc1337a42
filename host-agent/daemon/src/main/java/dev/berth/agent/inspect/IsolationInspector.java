package dev.berth.agent.inspect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Reads a live container from the host: /proc of its init process and its cgroup files. */
public final class IsolationInspector {
    private static final List<String> NAMESPACES = List.of("pid", "net", "ipc", "uts", "mnt", "user");
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    private final Path proc;
    private final Path cgroupRoot;

    public IsolationInspector(Path proc, Path cgroupRoot) {
        this.proc = proc;
        this.cgroupRoot = cgroupRoot;
    }

    public IsolationInspector() {
        this(Path.of("/proc"), Path.of("/sys/fs/cgroup"));
    }

    public IsolationReport.Observed observe(long pid, boolean cgroupV2) throws IOException {
        Path p = proc.resolve(Long.toString(pid));
        var namespaces = new LinkedHashMap<String, Boolean>();
        for (String ns : cgroupV2 ? Stream.concat(NAMESPACES.stream(), Stream.of("cgroup")).toList() : NAMESPACES) {
            namespaces.put(ns, !Files.readSymbolicLink(p.resolve("ns").resolve(ns))
                    .equals(Files.readSymbolicLink(proc.resolve("self/ns").resolve(ns))));
        }
        return new IsolationReport.Observed(
                ProcStatus.parse(Files.readString(p.resolve("status"))),
                Files.readString(p.resolve("uid_map")),
                Files.readString(p.resolve("gid_map")),
                MountInfo.parse(Files.readString(p.resolve("mountinfo"))),
                namespaces,
                cgroupV2 ? limitsV2(p) : limitsV1(p),
                devices(p.resolve("root/dev")));
    }

    private Map<String, String> limitsV1(Path p) throws IOException {
        var limits = new LinkedHashMap<String, String>();
        controllerDir(p, "memory").ifPresent(d -> read(d.resolve("memory.limit_in_bytes")).ifPresent(v -> limits.put("memory", v)));
        controllerDir(p, "pids").ifPresent(d -> read(d.resolve("pids.max")).ifPresent(v -> limits.put("pids", v)));
        controllerDir(p, "cpu").ifPresent(d -> read(d.resolve("cpu.cfs_quota_us"))
                .ifPresent(q -> read(d.resolve("cpu.cfs_period_us")).ifPresent(per -> limits.put("cpu", q + "/" + per))));
        return limits;
    }

    private Map<String, String> limitsV2(Path p) throws IOException {
        var limits = new LinkedHashMap<String, String>();
        var dir = controllerDir(p, "");
        dir.ifPresent(d -> {
            read(d.resolve("memory.max")).ifPresent(v -> limits.put("memory", v));
            read(d.resolve("pids.max")).ifPresent(v -> limits.put("pids", v));
            read(d.resolve("cpu.max")).ifPresent(v -> limits.put("cpu", v.replace(' ', '/')));
        });
        return limits;
    }

    /** The host directory of the process's cgroup for a v1 controller ("" for the v2 unified hierarchy). */
    private Optional<Path> controllerDir(Path p, String controller) throws IOException {
        for (String line : Files.readAllLines(p.resolve("cgroup"))) {
            String[] f = line.split(":", 3);
            if (f.length < 3) continue;
            boolean match = controller.isEmpty() ? f[0].equals("0") && f[1].isEmpty()
                    : List.of(f[1].split(",")).contains(controller);
            if (match) {
                Path base = controller.isEmpty() ? cgroupRoot : cgroupRoot.resolve(controller);
                return Optional.of(base.resolve(f[2].substring(1)));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Names of the device nodes (character or block) directly in the container's /dev. */
    private static java.util.Set<String> devices(Path dev) throws IOException {
        var out = new TreeSet<String>();
        try (Stream<Path> entries = Files.list(dev)) {
            for (Path e : entries.toList()) {
                int mode = (Integer) Files.getAttribute(e, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
                int type = mode & S_IFMT;
                if (type == S_IFCHR || type == S_IFBLK) out.add(e.getFileName().toString());
            }
        }
        return out;
    }
}
