package dev.berth.agent.daemon;

import dev.berth.agent.bundle.BundleBuilder;
import dev.berth.agent.bundle.BundleContext;
import dev.berth.agent.bundle.ConfigJson;
import dev.berth.agent.bundle.HostFacts;
import dev.berth.agent.bundle.HostProbe;
import dev.berth.agent.bundle.HostRequirements;
import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.image.ImageService;
import dev.berth.agent.inspect.IsolationInspector;
import dev.berth.agent.inspect.IsolationReport;
import dev.berth.agent.net.NamespaceDialer;
import dev.berth.agent.net.PortForwarder;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.runtime.ContainerProcess;
import dev.berth.agent.runtime.ExitStatus;
import dev.berth.agent.runtime.LogFile;
import dev.berth.agent.runtime.Runc;
import dev.berth.agent.state.IdRangeStore;
import dev.berth.agent.state.RootfsShifter;
import dev.berth.agent.state.VolumeManager;
import dev.berth.agent.sys.SyscallPort;
import dev.berth.registry.ImageReference;
import dev.berth.registry.Platform;
import dev.berth.registry.RegistryConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent's operations, the Java API the CLI (through the daemon's socket) and later the
 * platform connection drive: run, ps, inspect, logs, stop, rm, volume rm. State lives in the
 * state directory, so a restarted agent adopts the containers a previous one started.
 */
public final class AgentService implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9_.-]{0,61}[a-z0-9])?");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final long LOG_MAX_BYTES = 8L << 20;
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final Path stateDir;
    private final Path runcBinary;
    private final String publishAddress;
    private final Runc runc;
    private final HostFacts host;
    private final IdRangeStore ranges;
    private final RootfsShifter shifter;
    private final VolumeManager volumes;
    private final ImageService images;
    private final java.util.concurrent.locks.ReadWriteLock starting = new java.util.concurrent.locks.ReentrantReadWriteLock();
    private final Map<String, Managed> containers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService supervisor =
            Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("supervisor").daemon().unstarted(r));
    private final java.util.concurrent.ExecutorService checks = Executors.newVirtualThreadPerTaskExecutor();
    static final Duration HEALTH_INTERVAL = Duration.ofSeconds(1);

    /** A container this agent looks after, with what it holds open for it. */
    private static final class Managed {
        final ContainerSpec spec;
        final Path dir;
        final IdRange ids;
        volatile ContainerProcess process;
        final List<PortForwarder> forwarders = new ArrayList<>();
        NamespaceDialer dialer;
        volatile int restarts;
        volatile long restartAtNanos;
        volatile boolean stopping;
        volatile HealthTracker health = HealthTracker.START;
        volatile boolean checking;
        volatile long nextCheckNanos;

        Managed(ContainerSpec spec, Path dir, IdRange ids) {
            this.spec = spec;
            this.dir = dir;
            this.ids = ids;
        }
    }

    private AgentService(Path stateDir, Path runcBinary, String publishAddress, HostFacts host, ImageService images) {
        this.stateDir = stateDir;
        this.publishAddress = publishAddress;
        this.runcBinary = runcBinary;
        this.runc = new Runc(runcBinary, stateDir.resolve("runc"));
        this.host = host;
        this.ranges = new IdRangeStore(stateDir);
        this.shifter = new RootfsShifter(stateDir);
        this.volumes = new VolumeManager(stateDir);
        this.images = images;
    }

    /** Opens the state directory, checks the host, and adopts containers a previous agent left running. */
    public static AgentService open(Path stateDir, Path runcBinary) throws IOException {
        return open(stateDir, runcBinary, "0.0.0.0", RegistryConfig.defaults());
    }

    /**
     * @param publishAddress where published ports listen when a spec names no address
     * @param registries how images are pulled: plain-HTTP registries, credentials, limits
     */
    public static AgentService open(Path stateDirectory, Path runcBinary, String publishAddress, RegistryConfig registries)
            throws IOException {
        // Bundles name paths inside the state directory, and runc resolves relative ones against the bundle.
        Path stateDir = stateDirectory.toAbsolutePath().normalize();
        if (SyscallPort.effectiveUid() != 0) {
            throw new IOException("berth-agent must run as root (effective uid " + SyscallPort.effectiveUid()
                    + "): it creates namespaces, cgroups and loop devices");
        }
        HostFacts host = HostProbe.probe(runcBinary);
        String refusal = HostRequirements.refusal(
                HostRequirements.gaps(host, HostProbe.kernel(Path.of("/proc"), Path.of("/dev"))));
        if (refusal != null) throw new IOException(refusal);
        Files.createDirectories(stateDir.resolve("containers"));
        // Containers' unprivileged root must pass through to their root filesystems.
        Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString("rwx--x--x"));
        var images = new ImageService(stateDir, registries, new Platform("linux", host.architecture(), null), Clock.systemUTC());
        var service = new AgentService(stateDir, runcBinary, publishAddress, host, images);
        service.adoptAll();
        service.supervisor.scheduleWithFixedDelay(service::supervise, 500, 500, TimeUnit.MILLISECONDS);
        return service;
    }

    public ContainerInfo run(ContainerSpec spec) throws IOException {
        if (spec.name() == null || !NAME.matcher(spec.name()).matches()) {
            throw new IOException("container name '" + spec.name() + "' must be 1-63 lowercase letters, digits, '.', '_' or '-'");
        }
        if (!NAME.matcher(spec.app()).matches()) {
            throw new IOException("app name '" + spec.app() + "' must be 1-63 lowercase letters, digits, '.', '_' or '-'");
        }
        Path dir = stateDir.resolve("containers").resolve(spec.name());
        synchronized (this) {
            if (containers.containsKey(spec.name()) || Files.exists(dir)) {
                throw new IOException("a container named '" + spec.name() + "' already exists; remove it with 'berth-agent rm "
                        + spec.name() + "' or pick another name");
            }
            Files.createDirectories(dir);
        }
        // Garbage collection waits until the container holds its root filesystem.
        starting.readLock().lock();
        try {
            ContainerSpec settled = new SpecResolver(images).resolve(spec);
            IdRange ids = ranges.rangeFor(settled.app());
            var m = new Managed(settled, dir, ids);
            writeBundle(m);
            Files.writeString(dir.resolve("spec.json"), JSON.writeValueAsString(settled));
            launch(m);
            containers.put(spec.name(), m);
            return info(m);
        } catch (IOException | RuntimeException e) {
            cleanUp(spec.name(), dir);
            throw e;
        } finally {
            starting.readLock().unlock();
        }
    }

    private void writeBundle(Managed m) throws IOException {
        ContainerSpec spec = m.spec;
        Path rootfs = shifter.prepare(Path.of(spec.rootfs()), m.ids).rootfs();
        var volumeSources = new LinkedHashMap<String, String>();
        for (var v : spec.volumes()) volumeSources.put(v.name(), volumes.prepare(spec.app(), v.name(), v.sizeBytes(), m.ids).toString());
        var oci = BundleBuilder.build(new BundleContext(spec, host, m.ids, volumeSources, cgroupsPath(spec.name())));
        oci.root.path = rootfs.toString();
        Path bundle = Files.createDirectories(m.dir.resolve("bundle"));
        Files.writeString(bundle.resolve("config.json"), ConfigJson.write(oci));
    }

    /** A restart: runc still holds the ended run (kept for its OOM count), so it goes first. */
    private void restart(Managed m) throws IOException {
        try {
            runc.delete(m.spec.name(), true);
        } catch (IOException none) {
            // nothing left from the earlier run
        }
        launch(m);
    }

    private void launch(Managed m) throws IOException {
        m.health = HealthTracker.START;
        m.process = ContainerProcess.start(runc, runcBinary, stateDir.resolve("runc"), m.spec.name(), m.dir.resolve("bundle"),
                m.dir, m.dir.resolve("output.log"), memoryCgroup(m.spec.name()));
        attachPorts(m);
    }

    /** Opens (or re-points) the published ports and network health checks at the container's network namespace. */
    private void attachPorts(Managed m) throws IOException {
        boolean networkCheck = m.spec.health() instanceof dev.berth.agent.protocol.HealthCheck.Http
                || m.spec.health() instanceof dev.berth.agent.protocol.HealthCheck.Tcp;
        if (m.spec.ports().isEmpty() && !networkCheck) return;
        var pid = m.process.livePid();
        if (pid.isEmpty()) return;
        var old = m.dialer;
        m.dialer = new NamespaceDialer(Path.of("/proc", Long.toString(pid.get()), "ns", "net"), m.spec.name());
        if (m.forwarders.isEmpty()) {
            for (var p : m.spec.ports()) {
                String address = p.hostAddress() == null ? publishAddress : p.hostAddress();
                m.forwarders.add(new PortForwarder(new InetSocketAddress(address, p.hostPort()),
                        new PortForwarder.Backend(m.dialer, p.containerPort())));
            }
        } else {
            for (int i = 0; i < m.forwarders.size(); i++) {
                m.forwarders.get(i).switchTo(new PortForwarder.Backend(m.dialer, m.spec.ports().get(i).containerPort()));
            }
        }
        if (old != null) old.close();
    }

    public List<ContainerInfo> ps() throws IOException {
        var out = new ArrayList<ContainerInfo>();
        for (Managed m : containers.values().stream().sorted(Comparator.comparing(c -> c.spec.name())).toList()) out.add(info(m));
        return out;
    }

    public Inspection inspect(String name) throws IOException {
        Managed m = get(name);
        var info = info(m);
        IsolationReport report = null;
        if (info.status().equals("running")) {
            var oci = readSpec(m);
            var writable = new ArrayList<String>();
            m.spec.volumes().forEach(v -> writable.add(v.path()));
            m.spec.tmpfs().forEach(t -> writable.add(t.path()));
            report = IsolationReport.evaluate(oci, new IsolationInspector().observe(info.pid(), host.cgroupV2()), writable);
        }
        return new Inspection(info, m.dir.resolve("bundle").toString(), m.ids, m.spec.ports(), m.spec.resources(), report);
    }

    public Path logFile(String name) throws IOException {
        return get(name).dir.resolve("output.log");
    }

    public Runc.ExecResult exec(String name, List<String> command) throws IOException {
        Managed m = get(name);
        if (!info(m).status().equals("running")) throw new IOException("container '" + name + "' is not running");
        return runc.exec(name, command);
    }

    public ExitStatus stop(String name, Duration grace) throws IOException {
        Managed m = get(name);
        m.stopping = true;
        return m.process.stop(grace);
    }

    /** Removes a stopped container and its state; volumes stay. */
    public void remove(String name) throws IOException {
        Managed m = get(name);
        if (m.process.exitStatus().isEmpty() && "running".equals(safeStatus(m))) {
            throw new IOException("container '" + name + "' is running; stop it first with 'berth-agent stop " + name + "'");
        }
        containers.remove(name);
        closePorts(m);
        cleanUp(name, m.dir);
    }

    public void removeVolume(String app, String volume) throws IOException {
        for (Managed m : containers.values()) {
            if (m.spec.app().equals(app) && m.spec.volumes().stream().anyMatch(v -> v.name().equals(volume))) {
                throw new IOException("volume '" + volume + "' is used by container '" + m.spec.name() + "'; remove that first");
            }
        }
        volumes.remove(app, volume);
    }

    /** Keeps logs capped and restarts failed containers whose policy says so, with backoff. */
    private void supervise() {
        for (Managed m : containers.values()) {
            try {
                new LogFile(m.dir.resolve("output.log"), LOG_MAX_BYTES, 3).rotateIfNeeded();
                var exit = m.process.exitStatus();
                if (exit.isEmpty()) checkHealth(m);
                if (exit.isEmpty() || m.stopping || exit.get().success()
                        || m.spec.restart() != ContainerSpec.RestartPolicy.ON_FAILURE) {
                    continue;
                }
                long now = System.nanoTime();
                if (m.restartAtNanos == 0) {
                    long backoff = Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(m.restarts, 5));
                    m.restartAtNanos = now + TimeUnit.MILLISECONDS.toNanos(backoff);
                } else if (now >= m.restartAtNanos) {
                    m.restartAtNanos = 0;
                    m.restarts++;
                    restart(m);
                }
            } catch (IOException | RuntimeException e) {
                System.getLogger(AgentService.class.getName()).log(System.Logger.Level.WARNING,
                        "supervising " + m.spec.name() + " failed: " + e.getMessage());
            }
        }
    }

    /** Starts the next health check when it is due; one at a time per container, off the supervisor thread. */
    private void checkHealth(Managed m) {
        if (m.spec.health() == null || m.checking || System.nanoTime() < m.nextCheckNanos) return;
        m.checking = true;
        checks.submit(() -> {
            try {
                m.health = m.health.next(HealthProbe.passes(m.spec.health(), m.dialer, runc, m.spec.name()));
            } finally {
                m.nextCheckNanos = System.nanoTime() + HEALTH_INTERVAL.toNanos();
                m.checking = false;
            }
        });
    }

    private void adoptAll() throws IOException {
        try (Stream<Path> dirs = Files.list(stateDir.resolve("containers"))) {
            for (Path dir : dirs.toList()) {
                Path specFile = dir.resolve("spec.json");
                if (!Files.exists(specFile)) continue;
                var spec = JSON.readValue(Files.readString(specFile), ContainerSpec.class);
                var m = new Managed(spec, dir, ranges.rangeFor(spec.app()));
                m.process = ContainerProcess.adopt(runc, spec.name(), dir, memoryCgroup(spec.name()));
                containers.put(spec.name(), m);
                try {
                    attachPorts(m);
                } catch (IOException e) {
                    System.getLogger(AgentService.class.getName()).log(System.Logger.Level.WARNING,
                            "could not re-open the ports of " + spec.name() + ": " + e.getMessage());
                }
            }
        }
    }

    private ContainerInfo info(Managed m) throws IOException {
        var exit = m.process.exitStatus().orElse(null);
        if (exit != null) return new ContainerInfo(m.spec.name(), m.spec.app(), "exited", 0, exit, m.restarts, null);
        // The pid file and /proc answer without spawning runc; runc is asked only when they cannot.
        var pid = m.process.livePid();
        var health = m.spec.health() == null ? null : m.health.status();
        if (pid.isPresent()) return new ContainerInfo(m.spec.name(), m.spec.app(), "running", pid.get(), null, m.restarts, health);
        String status = safeStatus(m);
        long statePid = status.equals("running") ? m.process.state().pid() : 0;
        return new ContainerInfo(m.spec.name(), m.spec.app(), status, statePid, null, m.restarts, health);
    }

    private static String safeStatus(Managed m) {
        try {
            return m.process.state().status();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private dev.berth.agent.bundle.OciSpec readSpec(Managed m) throws IOException {
        return JSON.readValue(Files.readString(m.dir.resolve("bundle/config.json")), dev.berth.agent.bundle.OciSpec.class);
    }

    private Managed get(String name) throws IOException {
        Managed m = containers.get(name);
        if (m == null) throw new IOException("no container named '" + name + "'");
        return m;
    }

    private void cleanUp(String name, Path dir) throws IOException {
        try {
            runc.delete(name, true);
        } catch (IOException none) {
            // never created
        }
        Managed m = containers.remove(name);
        if (m != null) closePorts(m);
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (java.nio.file.NoSuchFileException gone) {
            // nothing to clean
        }
    }

    private static void closePorts(Managed m) {
        for (PortForwarder f : m.forwarders) {
            try {
                f.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (m.dialer != null) m.dialer.close();
    }

    static String cgroupsPath(String name) {
        return "/berth/" + name;
    }

    private Path memoryCgroup(String name) {
        return ContainerProcess.memoryCgroup(Path.of("/sys/fs/cgroup"), host.cgroupV2(), cgroupsPath(name));
    }

    /** Pulling, listing and inspecting images; removal and collection go through this service, which knows what is in use. */
    public ImageService images() {
        return images;
    }

    /** Removes an image name, or by digest the image; refuses while a container runs it. */
    public List<String> removeImage(String reference) throws IOException {
        return images.remove(reference, imagesInUse());
    }

    /** What {@code image gc} removed. */
    public record Collected(List<String> blobs, List<String> snapshots, List<String> shiftedRootfs, long bytes) {
    }

    /** Removes blobs, snapshots and shifted root filesystems that no image or container references. */
    public Collected collectGarbage() throws IOException {
        starting.writeLock().lock();
        try {
            return collect();
        } finally {
            starting.writeLock().unlock();
        }
    }

    private Collected collect() throws IOException {
        var keep = new java.util.HashSet<Path>();
        for (Managed m : containers.values()) {
            var root = readSpec(m).root;
            if (root != null && root.path != null) keep.add(Path.of(root.path));
        }
        List<String> shifted = shifter.prune(keep);
        var collected = images.gc();
        return new Collected(collected.blobs(), collected.snapshots(), shifted, collected.bytes());
    }

    private Map<String, String> imagesInUse() {
        var inUse = new java.util.HashMap<String, String>();
        for (Managed m : containers.values()) {
            if (m.spec.image() == null) continue;
            String image = m.spec.image();
            String digest = image.startsWith("sha256:") ? image : ImageReference.parse(image).digest();
            if (digest != null) inUse.putIfAbsent(digest, m.spec.name());
        }
        return inUse;
    }

    /** Stops supervising and closes ports; containers keep running, to be adopted by the next agent. */
    @Override
    public void close() {
        supervisor.shutdownNow();
        checks.shutdownNow();
        containers.values().forEach(AgentService::closePorts);
        images.close();
    }
}
