package dev.berth.agent.bundle;

import java.util.ArrayList;
import java.util.List;

/**
 * The subset of the OCI runtime-spec {@code config.json} that Berth writes. Mutable on purpose,
 * like containerd's {@code oci.Spec}: the profile's defaults fill it and small options edit it
 * in turn, then the validator reads the result. Field names are the spec's JSON keys.
 */
public final class OciSpec {
    public String ociVersion = "1.0.2";
    public Process process = new Process();
    public Root root = new Root();
    public String hostname;
    public List<Mount> mounts = new ArrayList<>();
    public Linux linux = new Linux();
    /** Null unless the container is attached to a network: then its one createRuntime hook. */
    public Hooks hooks;

    public static final class Process {
        public boolean terminal;
        public User user = new User();
        public List<String> args = new ArrayList<>();
        public List<String> env = new ArrayList<>();
        public String cwd = "/";
        public Capabilities capabilities = new Capabilities();
        public List<Rlimit> rlimits = new ArrayList<>();
        public boolean noNewPrivileges;
    }

    public static final class User {
        public long uid;
        public long gid;
        public List<Long> additionalGids;
    }

    public static final class Capabilities {
        public List<String> bounding = new ArrayList<>();
        public List<String> effective = new ArrayList<>();
        public List<String> permitted = new ArrayList<>();
        public List<String> inheritable = new ArrayList<>();
        public List<String> ambient = new ArrayList<>();
    }

    public record Rlimit(String type, long hard, long soft) {
    }

    public static final class Root {
        public String path = "rootfs";
        public boolean readonly;
    }

    public record Mount(String destination, String type, String source, List<String> options) {
        public Mount {
            options = List.copyOf(options);
        }
    }

    public static final class Hooks {
        public List<Hook> createRuntime = new ArrayList<>();
    }

    /** A program runc runs at a point of the container's creation; {@code timeout} in seconds. */
    public record Hook(String path, List<String> args, List<String> env, Integer timeout) {
        public Hook {
            args = List.copyOf(args);
            env = env == null ? null : List.copyOf(env);
        }
    }

    public static final class Linux {
        public List<IdMapping> uidMappings = new ArrayList<>();
        public List<IdMapping> gidMappings = new ArrayList<>();
        public List<Namespace> namespaces = new ArrayList<>();
        public Resources resources = new Resources();
        public String cgroupsPath;
        public Seccomp seccomp;
        public List<String> maskedPaths = new ArrayList<>();
        public List<String> readonlyPaths = new ArrayList<>();
    }

    public record IdMapping(long containerID, long hostID, long size) {
    }

    /** {@code path} null: runc makes a new namespace; otherwise the container joins the one there. */
    public record Namespace(String type, String path) {
        public Namespace(String type) {
            this(type, null);
        }
    }

    public static final class Resources {
        public List<DeviceRule> devices = new ArrayList<>();
        public Memory memory;
        public Cpu cpu;
        public Pids pids;
    }

    /** {@code major}/{@code minor} null mean "any". */
    public record DeviceRule(boolean allow, String type, Long major, Long minor, String access) {
    }

    public record Memory(long limit, long swap) {
    }

    public record Cpu(long quota, long period) {
    }

    public record Pids(long limit) {
    }

    public record Seccomp(String defaultAction, Long defaultErrnoRet, List<String> architectures, List<SyscallRule> syscalls) {
    }

    public record SyscallRule(List<String> names, String action, Long errnoRet, List<SyscallArg> args) {
    }

    public record SyscallArg(long index, long value, Long valueTwo, String op) {
    }
}
