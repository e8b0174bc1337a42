package dev.berth.agent.bundle;

import dev.berth.agent.protocol.ContainerSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Named checks over a finished spec, in the manner of runc's validate package: each says what
 * broke the container profile, or what the host's runc cannot do. All failures are reported
 * together so a caller fixes them in one go.
 */
public final class BundleValidator {
    private static final Pattern VOLUME_NAME = Pattern.compile("[a-z0-9]([a-z0-9_.-]{0,61}[a-z0-9])?");
    /** Where the runtime mounts its own filesystems; nothing of a container goes there. */
    public static final Set<String> RUNTIME_ROOTS = Set.of("/proc", "/sys", "/dev");
    /** Filesystem data options that runc passes to the kernel as they are. */
    private static final Set<String> DATA_FLAGS = Set.of("newinstance");
    /** The namespaces a bundle may join by path: the agent's own network namespace and its owner. */
    private static final Set<String> JOINABLE = Set.of("network", "user");

    /** A check: a name, and a function returning the reason the spec fails it. */
    public record Check(String name, BiFunction<OciSpec, BundleContext, Optional<String>> test) {
    }

    public static final List<Check> CHECKS = List.of(
            new Check("read-only root", (s, c) -> s.root.readonly ? ok() : fail("the root filesystem must be read-only")),
            new Check("root filesystem", BundleValidator::rootFilesystem),
            new Check("no new privileges", (s, c) -> s.process.noNewPrivileges ? ok() : fail("noNewPrivileges must be true")),
            new Check("namespaces", BundleValidator::namespaces),
            new Check("joined namespaces", BundleValidator::joinedNamespaces),
            new Check("user namespace mapping", BundleValidator::idMappings),
            new Check("capabilities", BundleValidator::capabilities),
            new Check("seccomp", BundleValidator::seccomp),
            new Check("masked and read-only paths", BundleValidator::maskedPaths),
            new Check("devices", BundleValidator::devices),
            new Check("resources", BundleValidator::resources),
            new Check("working directory", (s, c) -> cleanAbsolute(s.process.cwd)
                    .or(() -> under(s.process.cwd, "/proc") ? Optional.of("must not be under /proc") : Optional.empty())
                    .map(why -> "working directory '" + s.process.cwd + "' " + why)),
            new Check("volume and tmpfs paths", BundleValidator::writablePaths),
            new Check("mount flags", BundleValidator::mountFlags),
            new Check("hooks", BundleValidator::hooks),
            new Check("runtime support", BundleValidator::runtimeSupport));

    private BundleValidator() {
    }

    /** Runs every check; throws {@link BundleRejected} listing all that failed. */
    public static void validate(OciSpec spec, BundleContext context) {
        var violations = new ArrayList<BundleRejected.Violation>();
        for (Check check : CHECKS) {
            check.test().apply(spec, context).ifPresent(why -> violations.add(new BundleRejected.Violation(check.name(), why)));
        }
        if (!violations.isEmpty()) throw new BundleRejected(violations);
    }

    private static Optional<String> ok() {
        return Optional.empty();
    }

    private static Optional<String> fail(String reason) {
        return Optional.of(reason);
    }

    /** The container's root is a host directory named plainly, never the host's own root or the kernel's trees. */
    private static Optional<String> rootFilesystem(OciSpec s, BundleContext c) {
        String path = s.root.path;
        var unclean = cleanAbsolute(path);
        if (unclean.isPresent()) return fail("root filesystem '" + path + "' " + unclean.get());
        if (path.equals("/")) return fail("the host's own root cannot be a container's root filesystem");
        for (String root : RUNTIME_ROOTS) {
            if (under(path, root)) return fail("root filesystem '" + path + "' is under " + root + ", which belongs to the kernel");
        }
        return ok();
    }

    private static Optional<String> namespaces(OciSpec s, BundleContext c) {
        var have = new HashSet<String>();
        s.linux.namespaces.forEach(n -> have.add(n.type()));
        var missing = new ArrayList<>(ContainerProfile.namespaces(c.host()));
        missing.removeAll(have);
        return missing.isEmpty() ? ok() : fail("missing namespaces " + missing);
    }

    /**
     * Only the network namespace and the user namespace owning it are joined, both or neither, the
     * agent's own (never a process's, such as the host's), and only with the hook that gates the start.
     */
    private static Optional<String> joinedNamespaces(OciSpec s, BundleContext c) {
        var joined = new HashSet<String>();
        for (var n : s.linux.namespaces) {
            if (n.path() == null) continue;
            if (!JOINABLE.contains(n.type())) return fail("only the network and user namespaces may be joined, not the " + n.type() + " namespace " + n.path());
            var bad = cleanAbsolute(n.path());
            if (bad.isPresent()) return fail(n.type() + " namespace path '" + n.path() + "' " + bad.get());
            if (under(n.path(), "/proc")) return fail("the " + n.type() + " namespace " + n.path() + " is a process's: only the agent's own may be joined");
            joined.add(n.type());
        }
        if (joined.isEmpty()) return ok();
        if (!joined.equals(JOINABLE)) return fail("the network namespace and the user namespace owning it are joined together, found only " + joined);
        return s.hooks == null ? fail("joined namespaces need the agent's network hook") : ok();
    }

    private static Optional<String> idMappings(OciSpec s, BundleContext c) {
        for (var mappings : List.of(s.linux.uidMappings, s.linux.gidMappings)) {
            if (mappings.size() != 1) return fail("exactly one id mapping is expected, found " + mappings.size());
            var m = mappings.getFirst();
            if (m.containerID() != 0 || m.size() != IdRange.SIZE) {
                return fail("container ids 0.." + (IdRange.SIZE - 1) + " must be mapped, found " + m);
            }
            if (m.hostID() < IdRange.FIRST) return fail("host ids below " + IdRange.FIRST + " are never mapped, found " + m.hostID());
        }
        return ok();
    }

    private static Optional<String> capabilities(OciSpec s, BundleContext c) {
        var caps = s.process.capabilities;
        var allowed = new HashSet<>(Capabilities.DEFAULT);
        allowed.addAll(Capabilities.ADDABLE);
        for (var set : List.of(caps.bounding, caps.effective, caps.permitted)) {
            for (String cap : set) if (!allowed.contains(cap)) return fail(cap + " is not allowed");
        }
        if (!caps.inheritable.isEmpty() || !caps.ambient.isEmpty()) return fail("inheritable and ambient sets must be empty");
        return ok();
    }

    private static Optional<String> seccomp(OciSpec s, BundleContext c) {
        var sc = s.linux.seccomp;
        if (sc == null) return fail("a seccomp filter is required");
        if (!"SCMP_ACT_ERRNO".equals(sc.defaultAction()) || sc.defaultErrnoRet() == null || sc.defaultErrnoRet() != 1) {
            return fail("the default action must be EPERM (SCMP_ACT_ERRNO, errno 1)");
        }
        if (sc.syscalls().isEmpty()) return fail("the filter allows no syscalls");
        return ok();
    }

    private static Optional<String> maskedPaths(OciSpec s, BundleContext c) {
        if (!s.linux.maskedPaths.containsAll(ContainerProfile.MASKED_PATHS)) return fail("Docker's masked paths must all be masked");
        if (!s.linux.readonlyPaths.containsAll(ContainerProfile.READONLY_PATHS)) return fail("Docker's read-only paths must all be read-only");
        return ok();
    }

    private static Optional<String> devices(OciSpec s, BundleContext c) {
        var rules = s.linux.resources.devices;
        if (rules.isEmpty() || !rules.getFirst().equals(ContainerProfile.DENY_ALL_DEVICES)) {
            return fail("the device cgroup must start by denying every device");
        }
        for (var rule : rules.subList(1, rules.size())) {
            if (!ContainerProfile.ALLOWED_DEVICES.contains(rule)) return fail("device rule " + rule + " is not allowed");
        }
        return ok();
    }

    private static Optional<String> resources(OciSpec s, BundleContext c) {
        var r = s.linux.resources;
        if (r.memory == null || r.memory.limit() < 4L << 20) return fail("a memory limit of at least 4Mi is required");
        if (r.memory.swap() != r.memory.limit()) return fail("memory+swap must equal the memory limit (no extra swap)");
        if (r.cpu == null || r.cpu.quota() <= 0) return fail("a CPU quota is required");
        if (r.pids == null || r.pids.limit() < 1) return fail("a pids limit of at least 1 is required");
        if (s.linux.cgroupsPath == null || !s.linux.cgroupsPath.startsWith("/")) return fail("a cgroups path is required");
        return ok();
    }

    private static Optional<String> writablePaths(OciSpec s, BundleContext c) {
        ContainerSpec spec = c.container();
        var paths = new ArrayList<String>();
        for (var v : spec.volumes()) {
            if (v.name() == null || !VOLUME_NAME.matcher(v.name()).matches()) {
                return fail("volume name '" + v.name() + "' must be 1-63 lowercase letters, digits, '.', '_' or '-'");
            }
            if (v.sizeBytes() <= 0) return fail("volume '" + v.name() + "' needs a positive size");
            paths.add(v.path());
        }
        for (var t : spec.tmpfs()) {
            if (t.sizeBytes() <= 0) return fail("tmpfs at '" + t.path() + "' needs a positive size");
            paths.add(t.path());
        }
        for (String p : paths) {
            var bad = cleanAbsolute(p);
            if (bad.isPresent()) return fail("mount path '" + p + "' " + bad.get());
            if (p.equals("/")) return fail("nothing may be mounted over /");
            for (String root : RUNTIME_ROOTS) {
                if (under(p, root)) return fail("mount path '" + p + "' is under " + root + ", which belongs to the runtime");
            }
        }
        for (int i = 0; i < paths.size(); i++) {
            for (int j = 0; j < paths.size(); j++) {
                if (i != j && under(paths.get(j), paths.get(i))) {
                    return fail("mount paths '" + paths.get(i) + "' and '" + paths.get(j) + "' overlap");
                }
            }
        }
        for (var m : s.mounts) {
            if (paths.contains(m.destination()) && !m.options().containsAll(List.of("nosuid", "nodev", "noexec"))) {
                return fail("mount at '" + m.destination() + "' must be nosuid,nodev,noexec");
            }
        }
        return ok();
    }

    private static Optional<String> mountFlags(OciSpec s, BundleContext c) {
        for (var m : s.mounts) {
            if (!m.options().contains("nosuid")) return fail("mount at '" + m.destination() + "' must be nosuid");
        }
        return ok();
    }

    /** runc runs hooks as root on the host: the agent's network hook is the only one allowed. */
    private static Optional<String> hooks(OciSpec s, BundleContext c) {
        if (s.hooks == null) return ok();
        if (s.hooks.createRuntime.size() != 1) return fail("only the agent's one network hook may run, found " + s.hooks.createRuntime.size());
        var hook = s.hooks.createRuntime.getFirst();
        var args = hook.args();
        if (!NetworkHook.SHELL.equals(hook.path()) || args.size() != 6 || !args.subList(0, 4)
                .equals(List.of("sh", "-c", NetworkHook.SCRIPT, NetworkHook.NAME))) {
            return fail("hook " + hook.path() + " is not the agent's network hook");
        }
        if (hook.timeout() == null || hook.timeout() < 1) return fail("the network hook needs a timeout");
        return ok();
    }

    private static Optional<String> runtimeSupport(OciSpec s, BundleContext c) {
        var rt = c.host().runtime();
        if (SeccompPolicy.compareVersions(s.ociVersion, rt.ociVersionMax()) > 0) {
            return fail("runc supports OCI " + rt.ociVersionMax() + ", the bundle needs " + s.ociVersion);
        }
        for (var m : s.mounts) {
            for (String o : m.options()) {
                if (!o.contains("=") && !DATA_FLAGS.contains(o) && !rt.mountOptions().contains(o)) {
                    return fail("runc does not support the mount option '" + o + "' (at " + m.destination() + ")");
                }
            }
        }
        for (var n : s.linux.namespaces) {
            if (!rt.namespaces().contains(n.type())) return fail("runc does not support the " + n.type() + " namespace");
        }
        for (String cap : s.process.capabilities.bounding) {
            if (!rt.capabilities().contains(cap)) return fail("runc does not know the capability " + cap);
        }
        var sc = s.linux.seccomp;
        if (sc != null) {
            if (rt.seccompActions().isEmpty()) return fail("runc was built without seccomp");
            for (String arch : sc.architectures()) {
                if (!rt.seccompArchitectures().contains(arch)) return fail("runc's seccomp does not know " + arch);
            }
            if (!rt.seccompActions().contains(sc.defaultAction())) return fail("runc's seccomp lacks " + sc.defaultAction());
            for (var rule : sc.syscalls()) {
                if (!rt.seccompActions().contains(rule.action())) return fail("runc's seccomp lacks " + rule.action());
                if (rule.args() != null) {
                    for (var a : rule.args()) {
                        if (!rt.seccompOperators().contains(a.op())) return fail("runc's seccomp lacks the operator " + a.op());
                    }
                }
            }
        }
        return ok();
    }

    /** Empty when {@code path} is absolute and clean; otherwise what is wrong with it. */
    public static Optional<String> cleanAbsolute(String path) {
        if (path == null || !path.startsWith("/")) return Optional.of("must be absolute");
        if (path.length() > 1 && path.endsWith("/")) return Optional.of("must not end with '/'");
        if (path.contains("//")) return Optional.of("must not contain '//'");
        for (String part : path.split("/")) {
            if (part.equals(".") || part.equals("..")) return Optional.of("must not contain '.' or '..'");
        }
        if (path.chars().anyMatch(ch -> ch < 0x20)) return Optional.of("must not contain control characters");
        return Optional.empty();
    }

    /** Whether {@code path} is {@code root} or below it. */
    public static boolean under(String path, String root) {
        return path.equals(root) || path.startsWith(root.endsWith("/") ? root : root + "/");
    }
}
