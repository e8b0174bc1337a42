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
import dev.berth.agent.protocol.AssignedContainer;
import dev.berth.agent.protocol.Assignment;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.agent.protocol.IsolationCheck;
import dev.berth.agent.runtime.ContainerProcess;
import dev.berth.agent.runtime.ExitStatus;
import dev.berth.agent.runtime.LogFile;
import dev.berth.agent.runtime.Runc;
import dev.berth.agent.state.IdRangeStore;
import dev.berth.agent.state.PortAllocations;
import dev.berth.agent.state.RootfsShifter;
import dev.berth.agent.state.VolumeManager;
import dev.berth.agent.sys.SyscallPort;
import dev.berth.registry.ImageReference;
import dev.berth.registry.Platform;
import dev.berth.registry.RegistryConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent's operations, the Java API the CLI (through the daemon's socket) and the platform link
 * drive: run, ps, inspect, logs, stop, rm, volume rm, and applying assignments. State lives in
 * the state directory, so a restarted agent adopts the containers a previous one started,
 * including which of them the platform owns.
 */
public final class AgentService implements AutoCloseable {
    private static final System.Logger log = System.getLogger(AgentService.class.getName());
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9_.-]{0,61}[a-z0-9])?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final long LOG_MAX_BYTES = 8L << 20;
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final Path stateDir;
    private final Path runcBinary;
    private final AgentOptions options;
    private final Runc runc;
    private final HostFacts host;
    private final IdRangeStore ranges;
    private final RootfsShifter shifter;
    private final VolumeManager volumes;
    private final ImageService images;
    private final PortAllocations allocations;
    private final PublishedPorts ports;
    private final HealthChecks health;
    private Assignments assignments;
    private final ReadWriteLock starting = new ReentrantReadWriteLock();
    private final Map<String, ManagedContainer> containers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService supervisor =
            Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("supervisor").daemon().unstarted(r));
    private volatile Runnable changeListener = () -> { };

    private AgentService(Path stateDir, Path runcBinary, AgentOptions options, HostFacts host, ImageService images) {
        this.stateDir = stateDir;
        this.runcBinary = runcBinary;
        this.options = options;
        this.runc = new Runc(runcBinary, stateDir.resolve("runc"));
        this.host = host;
        this.ranges = new IdRangeStore(stateDir);
        this.shifter = new RootfsShifter(stateDir);
        this.volumes = new VolumeManager(stateDir);
        this.images = images;
        this.allocations = new PortAllocations(stateDir, options.portRange());
        this.ports = new PublishedPorts(options.publishAddress(), options.advertiseAddress());
        this.health = new HealthChecks(runc, m -> {
            updateServing(m);
            changed();
        });
    }

    /** Opens the state directory, checks the host, and adopts containers a previous agent left running. */
    public static AgentService open(Path stateDir, Path runcBinary) throws IOException {
        return open(stateDir, runcBinary, AgentOptions.defaults());
    }

    /**
     * @param publishAddress where published ports listen when a spec names no address
     * @param registries how images are pulled: plain-HTTP registries, credentials, limits
     */
    public static AgentService open(Path stateDirectory, Path runcBinary, String publishAddress, RegistryConfig registries)
            throws IOException {
        return open(stateDirectory, runcBinary, AgentOptions.defaults().withPublishAddress(publishAddress, null)
                .withRegistries(registries));
    }

    public static AgentService open(Path stateDirectory, Path runcBinary, AgentOptions options) throws IOException {
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
        var images = new ImageService(stateDir, options.registries(), new Platform("linux", host.architecture(), null),
                Clock.systemUTC());
        var service = new AgentService(stateDir, runcBinary, options, host, images);
        service.adoptAll();
        service.assignments = new Assignments(service, stateDir, Clock.systemUTC());
        service.supervisor.scheduleWithFixedDelay(service::supervise, 500, 500, TimeUnit.MILLISECONDS);
        return service;
    }

    /** Runs a container by hand (the CLI); assignments never touch it. */
    public ContainerInfo run(ContainerSpec spec) throws IOException {
        return info(create(spec, Map.of(), AssignmentPlan.Owner.HAND, null));
    }

    /** Converges on the platform's assignment in the background; returns at once. */
    public void apply(Assignment assignment) {
        assignments.apply(assignment);
    }

    /** The generation of the last assignment applied, -1 before the first. */
    public long generation() {
        return assignments.generation();
    }

    /** No assignment step is under way; for tests that wait for an apply to settle. */
    boolean assignmentsIdle() {
        return assignments.idle();
    }

    /** Called whenever something a heartbeat reports has changed: a start, stop, removal, health or serving change. */
    public void onChange(Runnable listener) {
        this.changeListener = listener == null ? () -> { } : listener;
    }

    void changed() {
        try {
            changeListener.run();
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.WARNING, "a change listener failed: " + e);
        }
    }

    static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Starts a container the platform assigned: its secrets join the environment, its fingerprint is kept. */
    void startAssigned(AssignedContainer assigned, String fingerprint) throws IOException {
        for (var secret : assigned.secrets().entrySet()) {
            if (!ENV_NAME.matcher(secret.getKey()).matches()) {
                throw new IOException("secret '" + secret.getKey() + "' of container '" + assigned.spec().name()
                        + "' is not an environment variable name (letters, digits and '_', not starting with a digit)");
            }
            if (secret.getValue() == null || secret.getValue().indexOf('\0') >= 0) {
                throw new IOException("secret '" + secret.getKey() + "' of container '" + assigned.spec().name()
                        + "' has no value or holds a NUL character");
            }
        }
        create(assigned.spec(), assigned.secrets(), AssignmentPlan.Owner.PLATFORM, fingerprint);
    }

    private ManagedContainer create(ContainerSpec spec, Map<String, String> secrets, AssignmentPlan.Owner owner,
                                    String fingerprint) throws IOException {
        if (!validName(spec.name())) {
            throw new IOException("container name '" + spec.name() + "' must be 1-63 lowercase letters, digits, '.', '_' or '-'");
        }
        if (!validName(spec.app())) {
            throw new IOException("app name '" + spec.app() + "' must be 1-63 lowercase letters, digits, '.', '_' or '-'");
        }
        var dir = new ContainerDir(stateDir.resolve("containers").resolve(spec.name()));
        synchronized (this) {
            if (containers.containsKey(spec.name()) || Files.exists(dir.path())) {
                throw new IOException("a container named '" + spec.name() + "' already exists; remove it with 'berth-agent rm "
                        + spec.name() + "' or pick another name");
            }
            Files.createDirectories(dir.path());
        }
        // Garbage collection waits until the container holds its root filesystem.
        starting.readLock().lock();
        try {
            ContainerSpec resolved = new SpecResolver(images).resolve(spec);
            ContainerSpec settled = withPorts(resolved, hostPorts(resolved));
            IdRange ids = ranges.rangeFor(settled.app());
            var m = new ManagedContainer(settled, dir, ids, owner, fingerprint);
            writeBundle(m, secrets);
            // Ownership first: a directory with a spec is adopted, and must be adopted as what it is.
            if (owner == AssignmentPlan.Owner.PLATFORM) dir.writeAssigned(fingerprint);
            dir.writeSpec(settled);
            ports.reserve(settled.name(), settled.app(), publishes(settled));
            launch(m);
            containers.put(spec.name(), m);
            return m;
        } catch (IOException | RuntimeException e) {
            cleanUp(spec.name(), dir.path());
            throw e;
        } finally {
            starting.readLock().unlock();
        }
    }

    /** The spec's published ports with a host port for each: as given, or the app's from the agent's range. */
    private List<ContainerSpec.PortPublish> hostPorts(ContainerSpec spec) throws IOException {
        var out = new ArrayList<ContainerSpec.PortPublish>();
        for (var p : spec.ports()) {
            if (p.hostPort() != 0) {
                out.add(p);
                continue;
            }
            String address = listenAddress(p);
            int port = allocations.portFor(spec.app(), p.containerPort(), candidate -> bindable(address, candidate));
            out.add(new ContainerSpec.PortPublish(p.hostAddress(), port, p.containerPort()));
        }
        return out;
    }

    private static boolean bindable(String address, int port) {
        try (var probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(address, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String listenAddress(ContainerSpec.PortPublish p) {
        return p.hostAddress() == null || p.hostAddress().isBlank() ? options.publishAddress() : p.hostAddress();
    }

    private List<PublishedPorts.Publish> publishes(ContainerSpec spec) {
        return spec.ports().stream().map(p -> new PublishedPorts.Publish(
                new PublishedPorts.Binding(listenAddress(p), p.hostPort()), p.containerPort())).toList();
    }

    private static ContainerSpec withPorts(ContainerSpec s, List<ContainerSpec.PortPublish> ports) {
        return new ContainerSpec(s.version(), s.name(), s.app(), s.rootfs(), s.image(), s.command(), s.env(), s.user(),
                s.workingDir(), s.resources(), s.volumes(), s.tmpfs(), ports, s.capabilities(), s.health(), s.healthTiming(),
                s.restart());
    }

    /** The bundle, with secret values added to the environment (winning over {@code env}); only its 0600 config holds them. */
    private void writeBundle(ManagedContainer m, Map<String, String> secrets) throws IOException {
        ContainerSpec spec = m.spec;
        if (!secrets.isEmpty()) {
            var env = new TreeMap<>(spec.env());
            env.putAll(secrets);
            spec = spec.withRuntimeDefaults(spec.rootfs(), spec.command(), spec.user(), spec.workingDir(), env, spec.health());
        }
        Path rootfs = shifter.prepare(Path.of(spec.rootfs()), m.ids).rootfs();
        var volumeSources = new LinkedHashMap<String, String>();
        for (var v : spec.volumes()) volumeSources.put(v.name(), volumes.prepare(spec.app(), v.name(), v.sizeBytes(), m.ids).toString());
        var oci = BundleBuilder.build(new BundleContext(spec, host, m.ids, volumeSources, cgroupsPath(spec.name())));
        oci.root.path = rootfs.toString();
        m.dir.writeConfig(ConfigJson.write(oci));
    }

    /** A restart: runc still holds the ended run (kept for its OOM count), so it goes first. */
    private void restart(ManagedContainer m) throws IOException {
        m.launching = true;
        try {
            try {
                runc.delete(m.name(), true);
            } catch (IOException none) {
                // nothing left from the earlier run
            }
            launch(m);
        } finally {
            m.launching = false;
        }
    }

    private void launch(ManagedContainer m) throws IOException {
        m.launching = true;
        try {
            m.run++;
            m.health = HealthTracker.START;
            m.exitSeen = false;
            m.isolation = null;
            m.process = ContainerProcess.start(runc, runcBinary, stateDir.resolve("runc"), m.name(), m.dir.bundle(),
                    m.dir.path(), m.dir.log(), memoryCgroup(m.name()));
            connectNetwork(m);
            updateServing(m);
            health.watch(m);
        } finally {
            m.launching = false;
        }
    }

    /** Points the published ports and network health checks at the container's (new) network namespace. */
    private void connectNetwork(ManagedContainer m) throws IOException {
        if (!m.needsNetwork()) return;
        var pid = m.process.livePid();
        if (pid.isEmpty()) return;
        var old = m.dialer;
        m.dialer = new NamespaceDialer(Path.of("/proc", Long.toString(pid.get()), "ns", "net"), m.name());
        ports.connect(m.name(), m.dialer);
        if (old != null) old.close();
    }

    /** New connections go to a container while it runs and, if it has a health check, passes it. */
    private void updateServing(ManagedContainer m) {
        boolean running;
        try {
            running = m.process != null && m.process.exitStatus().isEmpty();
        } catch (IOException e) {
            running = false;
        }
        boolean healthy = m.spec.health() == null || m.health.status() == HealthTracker.Status.HEALTHY;
        ports.ready(m.name(), running && healthy);
    }

    public List<ContainerInfo> ps() throws IOException {
        var out = new ArrayList<ContainerInfo>();
        for (ManagedContainer m : sorted()) out.add(info(m));
        return out;
    }

    private List<ManagedContainer> sorted() {
        return containers.values().stream().sorted(Comparator.comparing(ManagedContainer::name)).toList();
    }

    /**
     * Every container as the platform hears of it: state, exit, health, restarts, where its ports
     * are served, and the isolation report of its live process (measured once per process); then
     * assigned containers not running yet, {@code starting} or {@code failed}.
     */
    public List<ContainerStatus> statuses() throws IOException {
        var out = new ArrayList<ContainerStatus>();
        var held = new HashSet<String>();
        for (ManagedContainer m : sorted()) {
            var info = info(m);
            held.add(m.name());
            out.add(info.status(ports.published(m.name()), "running".equals(info.status()) ? isolation(m, info.pid()) : List.of()));
        }
        out.addAll(assignments.pending(held));
        return out;
    }

    private List<IsolationCheck> isolation(ManagedContainer m, long pid) {
        var cached = m.isolation;
        if (cached != null && cached.pid() == pid) return cached.checks();
        try {
            var report = isolationReport(m, pid);
            var checks = report.items().stream().map(i -> new IsolationCheck(i.name(), i.pass(), i.expected(), i.actual())).toList();
            m.isolation = new ManagedContainer.Isolation(pid, checks);
            return checks;
        } catch (IOException | RuntimeException e) {
            return List.of(); // it ended meanwhile, or /proc said no: measured again next time
        }
    }

    private IsolationReport isolationReport(ManagedContainer m, long pid) throws IOException {
        var writable = new ArrayList<String>();
        m.spec.volumes().forEach(v -> writable.add(v.path()));
        m.spec.tmpfs().forEach(t -> writable.add(t.path()));
        return IsolationReport.evaluate(readOci(m), new IsolationInspector().observe(pid, host.cgroupV2()), writable);
    }

    /** The log files of platform containers (and notes on those that cannot start), for shipping. */
    public List<LogSource> platformLogs() {
        var out = new ArrayList<LogSource>();
        var held = new HashSet<String>();
        for (ManagedContainer m : sorted()) {
            held.add(m.name());
            if (m.owner == AssignmentPlan.Owner.PLATFORM) out.add(new LogSource(m.name(), m.dir.log()));
        }
        out.addAll(assignments.notes(held));
        return out;
    }

    public Inspection inspect(String name) throws IOException {
        ManagedContainer m = get(name);
        var info = info(m);
        IsolationReport report = info.status().equals("running") ? isolationReport(m, info.pid()) : null;
        return new Inspection(info, m.dir.bundle().toString(), m.ids, m.spec.ports(), m.spec.resources(), report);
    }

    public Path logFile(String name) throws IOException {
        return get(name).dir.log();
    }

    public Runc.ExecResult exec(String name, List<String> command) throws IOException {
        ManagedContainer m = get(name);
        if (!info(m).status().equals("running")) throw new IOException("container '" + name + "' is not running");
        return runc.exec(name, command);
    }

    /** SIGTERM, then SIGKILL after {@code grace}; it takes no new connections from the moment it is asked to stop. */
    public ExitStatus stop(String name, Duration grace) throws IOException {
        ManagedContainer m = get(name);
        m.stopping = true;
        ports.drain(name);
        return m.process.stop(grace);
    }

    /** Removes a stopped container and its state; volumes stay. */
    public void remove(String name) throws IOException {
        ManagedContainer m = get(name);
        if (m.process.exitStatus().isEmpty() && "running".equals(safeStatus(m))) {
            throw new IOException("container '" + name + "' is running; stop it first with 'berth-agent stop " + name + "'");
        }
        cleanUp(name, m.dir.path());
        changed();
    }

    /**
     * Takes a container out of service and removes it: no new connections, open ones get up to the
     * grace period to finish, then SIGTERM, the grace period again, SIGKILL, and removal.
     */
    void retire(String name) throws IOException {
        ManagedContainer m = get(name);
        m.stopping = true;
        ports.drain(name);
        changed();
        long deadline = System.nanoTime() + options.stopGrace().toNanos();
        while (ports.active(name) > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while draining " + name);
            }
        }
        m.process.stop(options.stopGrace());
        remove(name);
    }

    /** What the assignment plan needs to know of the containers held now. */
    List<AssignmentPlan.Held> held() {
        var out = new ArrayList<AssignmentPlan.Held>();
        for (ManagedContainer m : containers.values()) {
            out.add(new AssignmentPlan.Held(m.name(), m.owner, m.fingerprint, m.owner == AssignmentPlan.Owner.PLATFORM && lost(m)));
        }
        return out;
    }

    Set<String> platformContainers() {
        var out = new HashSet<String>();
        containers.values().forEach(m -> {
            if (m.owner == AssignmentPlan.Owner.PLATFORM) out.add(m.name());
        });
        return out;
    }

    /** Neither running nor ended with a recorded status, and not between runs: a start cut short. */
    private boolean lost(ManagedContainer m) {
        if (m.launching) return false;
        try {
            if (m.process.exitStatus().isPresent() || m.process.livePid().isPresent()) return false;
            String status = safeStatus(m);
            return !(status.equals("running") || status.equals("created") || status.equals("paused") || m.launching);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public void removeVolume(String app, String volume) throws IOException {
        for (ManagedContainer m : containers.values()) {
            if (m.spec.app().equals(app) && m.spec.volumes().stream().anyMatch(v -> v.name().equals(volume))) {
                throw new IOException("volume '" + volume + "' is used by container '" + m.name() + "'; remove that first");
            }
        }
        volumes.remove(app, volume);
    }

    /** Keeps logs capped, notices ended runs, and restarts failed containers whose policy says so, with backoff. */
    private void supervise() {
        for (ManagedContainer m : containers.values()) {
            try {
                new LogFile(m.dir.log(), LOG_MAX_BYTES, 3).rotateIfNeeded();
                var exit = m.process.exitStatus();
                if (exit.isPresent() && !m.exitSeen) {
                    m.exitSeen = true;
                    m.isolation = null;
                    updateServing(m);
                    changed();
                }
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
                    changed();
                }
            } catch (IOException | RuntimeException e) {
                log.log(System.Logger.Level.WARNING, "supervising " + m.name() + " failed: " + e.getMessage());
            }
        }
    }

    private void adoptAll() throws IOException {
        try (Stream<Path> dirs = Files.list(stateDir.resolve("containers"))) {
            for (Path path : dirs.toList()) {
                var dir = new ContainerDir(path);
                if (!dir.hasSpec()) continue;
                var spec = dir.readSpec();
                var assigned = dir.assigned();
                var m = new ManagedContainer(spec, dir, ranges.rangeFor(spec.app()),
                        assigned.isPresent() ? AssignmentPlan.Owner.PLATFORM : AssignmentPlan.Owner.HAND,
                        assigned.map(ContainerDir.Assigned::fingerprint).orElse(null));
                m.process = ContainerProcess.adopt(runc, spec.name(), path, memoryCgroup(spec.name()));
                m.exitSeen = m.process.exitStatus().isPresent();
                containers.put(spec.name(), m);
                try {
                    ports.reserve(spec.name(), spec.app(), publishes(spec));
                    connectNetwork(m);
                } catch (IOException e) {
                    log.log(System.Logger.Level.WARNING, "could not re-open the ports of " + spec.name() + ": " + e.getMessage());
                }
                updateServing(m);
                health.watch(m);
            }
        }
    }

    private ContainerInfo info(ManagedContainer m) throws IOException {
        var exit = m.process.exitStatus().orElse(null);
        if (exit != null) return new ContainerInfo(m.name(), m.spec.app(), "exited", 0, exit, m.restarts, null);
        // The pid file and /proc answer without spawning runc; runc is asked only when they cannot.
        var pid = m.process.livePid();
        var health = m.spec.health() == null ? null : m.health.status();
        if (pid.isPresent()) return new ContainerInfo(m.name(), m.spec.app(), "running", pid.get(), null, m.restarts, health);
        String status = safeStatus(m);
        long statePid = status.equals("running") ? m.process.state().pid() : 0;
        return new ContainerInfo(m.name(), m.spec.app(), status, statePid, null, m.restarts, health);
    }

    private static String safeStatus(ManagedContainer m) {
        try {
            return m.process.state().status();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private dev.berth.agent.bundle.OciSpec readOci(ManagedContainer m) throws IOException {
        return JSON.readValue(Files.readString(m.dir.config()), dev.berth.agent.bundle.OciSpec.class);
    }

    private ManagedContainer get(String name) throws IOException {
        ManagedContainer m = containers.get(name);
        if (m == null) throw new IOException("no container named '" + name + "'");
        return m;
    }

    private void cleanUp(String name, Path dir) throws IOException {
        try {
            runc.delete(name, true);
        } catch (IOException none) {
            // never created
        }
        ManagedContainer m = containers.remove(name);
        ports.release(name);
        if (m != null) {
            m.run++; // ends its health loop
            if (m.dialer != null) m.dialer.close();
        }
        deleteTree(dir);
    }

    /** Deletes a directory and what is in it; what vanishes meanwhile is fine. */
    private static void deleteTree(Path dir) throws IOException {
        Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs)
                    throws IOException {
                Files.deleteIfExists(file);
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof java.nio.file.NoSuchFileException) return java.nio.file.FileVisitResult.CONTINUE;
                throw e;
            }

            @Override
            public java.nio.file.FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null && !(e instanceof java.nio.file.NoSuchFileException)) throw e;
                Files.deleteIfExists(d);
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
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
        var keep = new HashSet<Path>();
        for (ManagedContainer m : containers.values()) {
            var root = readOci(m).root;
            if (root != null && root.path != null) keep.add(Path.of(root.path));
        }
        List<String> shifted = shifter.prune(keep);
        var collected = images.gc();
        return new Collected(collected.blobs(), collected.snapshots(), shifted, collected.bytes());
    }

    private Map<String, String> imagesInUse() {
        var inUse = new java.util.HashMap<String, String>();
        for (ManagedContainer m : containers.values()) {
            if (m.spec.image() == null) continue;
            String image = m.spec.image();
            String digest = image.startsWith("sha256:") ? image : ImageReference.parse(image).digest();
            if (digest != null) inUse.putIfAbsent(digest, m.name());
        }
        return inUse;
    }

    /** Stops applying and supervising and closes ports; containers keep running, to be adopted by the next agent. */
    @Override
    public void close() {
        if (assignments != null) assignments.close();
        supervisor.shutdownNow();
        health.close();
        ports.close();
        containers.values().forEach(m -> {
            m.run++;
            if (m.dialer != null) m.dialer.close();
        });
        images.close();
    }
}
