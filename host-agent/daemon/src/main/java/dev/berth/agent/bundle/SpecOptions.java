package dev.berth.agent.bundle;

import dev.berth.agent.protocol.ContainerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** The options that turn a container spec into OCI settings, one concern each. */
public final class SpecOptions {
    static final long CPU_PERIOD_MICROS = 100_000;
    private static final String NETWORK = "network";
    private static final String USER = "user";

    private SpecOptions() {
    }

    /** The root filesystem: the host directory prepared for the container (the profile keeps it read-only). */
    public static SpecOption root() {
        return (spec, ctx) -> spec.root.path = ctx.rootfs();
    }

    /** Command, environment, user and working directory. */
    public static SpecOption process() {
        return (spec, ctx) -> {
            ContainerSpec c = ctx.container();
            spec.process.args = new ArrayList<>(c.command());
            var env = new TreeMap<String, String>();
            env.put("PATH", ContainerProfile.DEFAULT_PATH.substring("PATH=".length()));
            env.put("HOSTNAME", c.name());
            env.putAll(c.env());
            spec.process.env = new ArrayList<>(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
            if (c.user() != null) {
                spec.process.user.uid = c.user().uid();
                spec.process.user.gid = c.user().gid();
            }
            spec.process.cwd = c.workingDir();
            spec.hostname = c.name();
        };
    }

    /** Container ids 0..65535 onto the app's host range. */
    public static SpecOption userNamespace() {
        return (spec, ctx) -> {
            var m = new OciSpec.IdMapping(0, ctx.ids().hostStart(), ctx.ids().size());
            spec.linux.uidMappings = new ArrayList<>(List.of(m));
            spec.linux.gidMappings = new ArrayList<>(List.of(m));
        };
    }

    /** Memory (swap included), CPU quota and a pids limit, in the container's own cgroup. */
    public static SpecOption resources() {
        return (spec, ctx) -> {
            var r = ctx.container().resources();
            spec.linux.resources.memory = new OciSpec.Memory(r.memoryBytes(), r.memoryBytes());
            spec.linux.resources.cpu = new OciSpec.Cpu(r.cpuMillis() * CPU_PERIOD_MICROS / 1000, CPU_PERIOD_MICROS);
            spec.linux.resources.pids = new OciSpec.Pids(r.pids());
            spec.linux.cgroupsPath = ctx.cgroupsPath();
        };
    }

    /** The default capability plus the allowed additions; seccomp is resolved for exactly that set. */
    public static SpecOption capabilities() {
        return (spec, ctx) -> {
            var granted = Capabilities.grant(ctx.container().capabilities());
            var ordered = granted.stream().sorted().toList();
            ContainerProfile.capabilities(spec, ordered);
            spec.linux.seccomp = SeccompPolicy.resolve(ctx.host().architecture(), granted, ctx.host().kernel());
        };
    }

    /** Volumes bind-mounted from their host filesystems: writable, never suid, device or exec. */
    public static SpecOption volumes() {
        return (spec, ctx) -> {
            for (var v : ctx.container().volumes()) {
                String source = ctx.volumeSources().get(v.name());
                if (source == null) {
                    throw new BundleRejected(List.of(new BundleRejected.Violation("volumes",
                            "volume '" + v.name() + "' has no host filesystem prepared")));
                }
                spec.mounts.add(new OciSpec.Mount(v.path(), "bind", source, List.of("rbind", "rw", "nosuid", "nodev", "noexec")));
            }
        };
    }

    /** Size-capped tmpfs mounts. */
    public static SpecOption tmpfs() {
        return (spec, ctx) -> {
            for (var t : ctx.container().tmpfs()) {
                spec.mounts.add(new OciSpec.Mount(t.path(), "tmpfs", "tmpfs",
                        List.of("nosuid", "nodev", "noexec", "mode=1777", "size=" + t.sizeBytes())));
            }
        };
    }

    /**
     * The agent's network namespace and the user namespace owning it, joined by path, with the hook
     * that holds the process back until its interface and rules exist (see {@link NetworkHook}); the
     * agent's resolv.conf, read-only, over the image's.
     */
    public static SpecOption network(NetworkHook network) {
        return (spec, ctx) -> {
            spec.hooks = new OciSpec.Hooks();
            spec.hooks.createRuntime.add(network.hook());
            spec.linux.namespaces.replaceAll(n -> switch (n.type()) {
                case NETWORK -> new OciSpec.Namespace(NETWORK, network.netns());
                case USER -> new OciSpec.Namespace(USER, network.userns());
                default -> n;
            });
            spec.mounts.add(new OciSpec.Mount("/etc/resolv.conf", "bind", network.resolvConf(),
                    List.of("rbind", "ro", "nosuid", "nodev", "noexec")));
        };
    }


    /** The options applied to every container, in order. */
    public static List<SpecOption> all() {
        return List.of(root(), process(), userNamespace(), resources(), capabilities(), volumes(), tmpfs());
    }
}
