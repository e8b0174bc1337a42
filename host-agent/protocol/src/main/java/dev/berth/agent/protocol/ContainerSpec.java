package dev.berth.agent.protocol;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One container a host agent is asked to run, as it travels between the platform and the agent.
 * Sizes are bytes, CPU is in thousandths of a core. The root filesystem is either a local
 * directory ({@code rootfs}) or an image reference ({@code image}), exactly one of them. An empty
 * {@code command}, a null {@code user} or {@code workingDir} take the image's defaults (or
 * {@code 0:0} and {@code /} without an image); a null {@code health} means no health check, a null
 * {@code healthTiming} means {@link HealthTiming#DEFAULT}. The
 * agent enforces its container profile on top of this; nothing here can switch a protection off.
 *
 * <p>What only a person at the host may ask for is refused in a platform's assignment and
 * reported as a failed container naming the field: a {@code rootfs} (a host directory), a
 * published port's {@code hostAddress} or non-zero {@code hostPort}, a {@code workingDir} or
 * mount path that is not a clean absolute path in the image (or lies under /proc, /sys, /dev),
 * names that are no valid file names, and a {@code user} outside the container's ids 0-65535.
 *
 * @param version wire-format version, {@link #VERSION}
 * @param image an image reference such as {@code registry.example.com/acme/web:1.4} or one pinned
 *              {@code @sha256:...}; the agent pulls it if it does not have it
 */
public record ContainerSpec(
        int version,
        String name,
        String app,
        String rootfs,
        String image,
        List<String> command,
        Map<String, String> env,
        UserId user,
        String workingDir,
        Resources resources,
        List<VolumeMount> volumes,
        List<TmpfsMount> tmpfs,
        List<PortPublish> ports,
        List<String> capabilities,
        HealthCheck health,
        HealthTiming healthTiming,
        RestartPolicy restart) {

    public static final int VERSION = 1;

    public ContainerSpec {
        Objects.requireNonNull(name, "name");
        command = command == null ? List.of() : List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        if (app == null || app.isBlank()) app = name;
        if (workingDir != null && workingDir.isBlank()) workingDir = null;
        if (resources == null) resources = Resources.DEFAULT;
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        tmpfs = tmpfs == null ? List.of() : List.copyOf(tmpfs);
        ports = ports == null ? List.of() : List.copyOf(ports);
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        if (healthTiming == null) healthTiming = HealthTiming.DEFAULT;
        if (restart == null) restart = RestartPolicy.NO;
    }

    /** This spec with its root filesystem, command, user and working directory settled. */
    public ContainerSpec withRuntimeDefaults(String rootfs, List<String> command, UserId user, String workingDir,
                                             Map<String, String> env, HealthCheck health) {
        return new ContainerSpec(version, name, app, rootfs, image, command, env, user, workingDir, resources, volumes,
                tmpfs, ports, capabilities, health, healthTiming, restart);
    }

    /** A numeric uid:gid inside the container. */
    public record UserId(int uid, int gid) {
    }

    /** cgroup limits; memory includes swap. */
    public record Resources(long memoryBytes, int cpuMillis, int pids) {
        public static final Resources DEFAULT = new Resources(256L << 20, 1000, 256);
    }

    /** A persistent, size-capped volume of the app, mounted at {@code path}. */
    public record VolumeMount(String name, String path, long sizeBytes) {
    }

    /** A size-capped tmpfs. */
    public record TmpfsMount(String path, long sizeBytes) {
    }

    /** A port the agent serves on {@code hostAddress:hostPort} and forwards into the container. */
    public record PortPublish(String hostAddress, int hostPort, int containerPort) {
    }

    public enum RestartPolicy { NO, ON_FAILURE }
}
