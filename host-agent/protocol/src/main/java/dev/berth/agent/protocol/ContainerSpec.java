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
 * <p>The {@code with...} methods copy a spec with one field replaced, so no caller repeats every
 * field (and none is dropped when a field is added).
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
        RestartPolicy restart,
        Network network) {

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

    /** A copy with {@code name} replaced. */
    public ContainerSpec withName(String value) {
        return new ContainerSpec(version, value, app, rootfs, image, command, env, user, workingDir, resources,
                volumes, tmpfs, ports, capabilities, health, healthTiming, restart, network);
    }

    /** A copy with {@code app} replaced. */
    public ContainerSpec withApp(String value) {
        return new ContainerSpec(version, name, value, rootfs, image, command, env, user, workingDir, resources,
                volumes, tmpfs, ports, capabilities, health, healthTiming, restart, network);
    }

    /** A copy with {@code rootfs} replaced. */
    public ContainerSpec withRootfs(String value) {
        return new ContainerSpec(version, name, app, value, image, command, env, user, workingDir, resources,
                volumes, tmpfs, ports, capabilities, health, healthTiming, restart, network);
    }

    /** A copy with {@code image} replaced. */
    public ContainerSpec withImage(String value) {
        return new ContainerSpec(version, name, app, rootfs, value, command, env, user, workingDir, resources,
                volumes, tmpfs, ports, capabilities, health, healthTiming, restart, network);
    }

    /** A copy with {@code command} replaced. */
    public ContainerSpec withCommand(List<String> value) {
        return new ContainerSpec(version, name, app, rootfs, image, value, env, user, workingDir, resources, volumes,
                tmpfs, ports, capabilities, health, healthTiming, restart, network);
    }

    /** A copy with {@code env} replaced. */
    public ContainerSpec withEnv(Map<String, String> value) {
        return new ContainerSpec(version, name, app, rootfs, image, command, value, user, workingDir, resources,
                volumes, tmpfs, ports, capabilities, health, healthTiming, restart, network);
    }

    /** A copy with {@code user} replaced. */
    public ContainerSpec withUser(UserId value) {
        return new ContainerSpec(version, name, app, rootfs, image, command, env, value, workingDir, resources,
                volumes, tmpfs, ports, capabilities, health, healthTiming, restart, network);
    }

    /** A copy with {@code workingDir} replaced. */
    public ContainerSpec withWorkingDir(String value) {
        return new ContainerSpec(version, name, app, rootfs, image, command, env, user, value, resources, volumes,
                tmpfs, ports, capabilities, health, healthTiming, restart, network);
    }

    /** A copy with {@code resources} replaced. */
    public ContainerSpec withResources(Resources value) {
        return new ContainerSpec(version, name, app, rootfs, image, command, env, user, workingDir, value, volumes,
                tmpfs, ports, capabilities, health, healthTiming, restart, network);
    }

    /** A copy with {@code volumes} replaced. */
    public ContainerSpec withVolumes(List<VolumeMount> value) {
        return new ContainerSpec(version, name, app, rootfs, image, command, env, user, workingDir, resources, value,
                tmpfs, ports, capabilities, health, healthTiming, restart, network);
    }

    /** A copy with {@code tmpfs} replaced. */
    public ContainerSpec withTmpfs(List<TmpfsMount> value) {
        return new ContainerSpec(version, name, app, rootfs, image, command, env, user, workingDir, resources,
                volumes, value, ports, capabilities, health, healthTiming, restart, network);
    }

    /** A copy with {@code ports} replaced. */
    public ContainerSpec withPorts(List<PortPublish> value) {
        return new ContainerSpec(version, name, app, rootfs, image, command, env, user, workingDir, resources,
                volumes, tmpfs, value, capabilities, health, healthTiming, restart, network);
    }

    /** A copy with {@code capabilities} replaced. */
    public ContainerSpec withCapabilities(List<String> value) {
        return new ContainerSpec(version, name, app, rootfs, image, command, env, user, workingDir, resources,
                volumes, tmpfs, ports, value, health, healthTiming, restart, network);
    }

    /** A copy with {@code health} replaced. */
    public ContainerSpec withHealth(HealthCheck value) {
        return new ContainerSpec(version, name, app, rootfs, image, command, env, user, workingDir, resources,
                volumes, tmpfs, ports, capabilities, value, healthTiming, restart, network);
    }

    /** A copy with {@code healthTiming} replaced. */
    public ContainerSpec withHealthTiming(HealthTiming value) {
        return new ContainerSpec(version, name, app, rootfs, image, command, env, user, workingDir, resources,
                volumes, tmpfs, ports, capabilities, health, value, restart, network);
    }

    /** A copy with {@code restart} replaced. */
    public ContainerSpec withRestart(RestartPolicy value) {
        return new ContainerSpec(version, name, app, rootfs, image, command, env, user, workingDir, resources,
                volumes, tmpfs, ports, capabilities, health, healthTiming, value, network);
    }

    /** A copy with {@code network} replaced. */
    public ContainerSpec withNetwork(Network value) {
        return new ContainerSpec(version, name, app, rootfs, image, command, env, user, workingDir, resources,
                volumes, tmpfs, ports, capabilities, health, healthTiming, restart, value);
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

    /**
     * What a container may reach beyond its own loopback. A null {@code network} in a spec means
     * loopback only and no interface at all (containers started by hand, specs from before
     * networking); the platform always sends one. Whatever is not listed here is dropped by the
     * agent's firewall and counted.
     *
     * @param egress whether connections to public internet addresses are allowed
     * @param egressTo private destinations an administrator allowed for the app's team
     * @param connects the team's apps this container reaches on its own loopback
     */
    public record Network(Egress egress, List<EgressRule> egressTo, List<Connect> connects) {
        public static final Network NONE = new Network(Egress.NONE, List.of(), List.of());

        public Network {
            if (egress == null) egress = Egress.NONE;
            egressTo = egressTo == null ? List.of() : List.copyOf(egressTo);
            connects = connects == null ? List.of() : List.copyOf(connects);
        }
    }

    /** {@code NONE}: no destination outside the container unless listed; {@code PUBLIC}: public internet addresses too. */
    public enum Egress { NONE, PUBLIC }

    /**
     * A destination range and port a container may connect to although it is not public.
     *
     * @param cidr an IPv4 or IPv6 range such as {@code 10.20.0.5/32}
     * @param port the destination port, 1-65535, or 0 for every port
     */
    public record EgressRule(String cidr, int port) {
    }

    /**
     * The container reaches {@code 127.0.0.1:local} on its own loopback and arrives at a serving
     * replica of the app {@code app}, at the container port its berth.yaml names {@code port}. Where
     * those replicas run, and which number the name stands for in each, the assignment says; it
     * changes without this spec changing.
     *
     * @param app the producing app as the agent names it (team-qualified, like {@link ContainerSpec#app()})
     * @param port the producer's port name in its berth.yaml
     * @param local the port the consumer dials on its own 127.0.0.1
     */
    public record Connect(String app, String port, int local) {
    }
}
