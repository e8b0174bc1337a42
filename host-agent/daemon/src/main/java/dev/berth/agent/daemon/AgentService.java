package dev.berth.agent.daemon;

import dev.berth.agent.bundle.HostFacts;
import dev.berth.agent.bundle.HostProbe;
import dev.berth.agent.bundle.HostRequirements;
import dev.berth.agent.image.ImageService;
import dev.berth.agent.inspect.IsolationReport;
import dev.berth.agent.protocol.AssignedContainer;
import dev.berth.agent.protocol.Assignment;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.agent.runtime.ExitStatus;
import dev.berth.agent.runtime.Runc;
import dev.berth.agent.state.PortAllocations;
import dev.berth.agent.sys.SyscallPort;
import dev.berth.image.ImageReference;
import dev.berth.registry.Platform;
import dev.berth.registry.RegistryConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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

    private final Path stateDir;
    private final AgentOptions options;
    private final Runc runc;
    private final ImageService images;
    private final PublishedPorts ports;
    private final IsolationReports isolation;
    private final ContainerLauncher launcher;
    private final Supervisor supervisor;
    private Assignments assignments;
    private final ReadWriteLock starting = new ReentrantReadWriteLock();
    private final Map<String, ManagedContainer> containers = new ConcurrentHashMap<>();
    private volatile Runnable changeListener = () -> { };

    private AgentService(Path stateDir, Path runcBinary, AgentOptions options, HostFacts host, ImageService images) {
        this.stateDir = stateDir;
        this.options = options;
        this.runc = new Runc(runcBinary, stateDir.resolve("runc"));
        this.images = images;
        this.ports = new PublishedPorts(options.publishAddress(), options.advertiseAddress());
        this.isolation = new IsolationReports(host.cgroupV2());
        this.launcher = new ContainerLauncher(stateDir, runcBinary, runc, host, options.publishAddress(), images,
                new PortAllocations(stateDir, options.portRange()), ports, this::changed);
        this.supervisor = new Supervisor(containers::values, launcher, this::changed);
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
        // Container directories hold their logs and configs: root's alone, listing included.
        Files.setPosixFilePermissions(stateDir.resolve("containers"), PosixFilePermissions.fromString("rwx------"));
        // Containers' unprivileged root must pass through to their root filesystems.
        Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString("rwx--x--x"));
        StateDirectory.requireSearchable(stateDir);
        var images = new ImageService(stateDir, options.registries(), new Platform("linux", host.architecture(), null),
                Clock.systemUTC());
        var service = new AgentService(stateDir, runcBinary, options, host, images);
        service.adoptAll();
        service.assignments = new Assignments(service, stateDir, Clock.systemUTC());
        service.supervisor.start();
        return service;
    }

    /** Runs a container by hand (the CLI); assignments never touch it. */
    public ContainerInfo run(ContainerSpec spec) throws IOException {
        return info(create(spec, Map.of(), AssignmentPlan.Owner.HAND, null, true));
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

    /**
     * Starts a container the platform assigned: its secrets join the environment, its fingerprint
     * is kept, and it takes traffic once ready only if the assignment lets it serve.
     */
    void startAssigned(AssignedContainer assigned, String fingerprint) throws IOException {
        String refusal = PlatformGrant.refusal(assigned);
        if (refusal != null) throw new IOException(refusal);
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
        create(assigned.spec(), assigned.secrets(), AssignmentPlan.Owner.PLATFORM, fingerprint, assigned.serving());
    }

    /**
     * Lets platform containers into traffic or keeps them out, restarting none: on each published
     * port, every change for it lands in one step (new connections go only to the new set from
     * then on; open ones carry on), then each container's flag is kept beside it for a restarted
     * agent. Names of hand-started or unknown containers are ignored.
     */
    void admit(Map<String, Boolean> admit) {
        var change = new HashMap<String, Boolean>();
        admit.forEach((name, admitted) -> {
            var m = containers.get(name);
            if (m != null && m.owner == AssignmentPlan.Owner.PLATFORM && m.admitted != admitted) change.put(name, admitted);
        });
        if (change.isEmpty()) return;
        ports.admit(change);
        change.forEach((name, admitted) -> {
            var m = containers.get(name);
            if (m == null) return;
            m.admitted = admitted;
            // Under the container's lock, which removal takes before it deletes the directory.
            synchronized (m) {
                if (containers.get(name) != m) return;
                try {
                    m.dir.writeAssigned(m.fingerprint, admitted);
                } catch (IOException e) {
                    log.log(System.Logger.Level.WARNING, "cannot keep whether " + name + " serves: " + e.getMessage()
                            + "; a restarted agent goes by the last kept until the next assignment");
                }
            }
        });
        log.log(System.Logger.Level.INFO, "traffic switched: " + new java.util.TreeMap<>(change));
        changed();
    }

    private ManagedContainer create(ContainerSpec spec, Map<String, String> secrets, AssignmentPlan.Owner owner,
                                    String fingerprint, boolean admitted) throws IOException {
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
            Files.createDirectory(dir.path(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        // Garbage collection waits until the container holds its root filesystem.
        starting.readLock().lock();
        try {
            var m = launcher.prepare(spec, secrets, owner, fingerprint, admitted, dir);
            launcher.launch(m);
            containers.put(spec.name(), m);
            return m;
        } catch (IOException | RuntimeException e) {
            cleanUp(spec.name(), dir);
            throw e;
        } finally {
            starting.readLock().unlock();
        }
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
            out.add(info.status(ports.published(m.name()), "running".equals(info.status()) ? isolation.checks(m, info.pid()) : List.of()));
        }
        out.addAll(assignments.pending(held));
        return out;
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
        IsolationReport report = info.status().equals("running") ? isolation.measure(m, info.pid()) : null;
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
        cleanUp(name, m.dir);
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
            out.add(new AssignmentPlan.Held(m.name(), m.owner, m.fingerprint, m.owner == AssignmentPlan.Owner.PLATFORM && lost(m),
                    m.admitted));
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

    /** Its ports could not be opened again, or it is neither running nor ended with a status (and not between runs). */
    private boolean lost(ManagedContainer m) {
        if (m.portsLost) return true;
        if (m.launching) return false;
        try {
            if (m.process.exitStatus().isPresent() || m.process.livePid().isPresent()) return false;
            String status = safeStatus(m);
            return !(status.equals("running") || status.equals("created") || status.equals("paused"));
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
        launcher.volumes().remove(app, volume);
    }

    private void adoptAll() throws IOException {
        try (Stream<Path> dirs = Files.list(stateDir.resolve("containers"))) {
            for (Path path : dirs.toList()) {
                var dir = new ContainerDir(path);
                if (!dir.hasSpec()) continue;
                var m = launcher.adopt(dir);
                containers.put(m.name(), m);
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

    private ManagedContainer get(String name) throws IOException {
        ManagedContainer m = containers.get(name);
        if (m == null) throw new IOException("no container named '" + name + "'");
        return m;
    }

    private void cleanUp(String name, ContainerDir dir) throws IOException {
        try {
            runc.delete(name, true);
        } catch (IOException none) {
            // never created
        }
        ManagedContainer m = containers.remove(name);
        if (containers.isEmpty()) launcher.releaseCgroupParent();
        ports.release(name);
        if (m != null) {
            synchronized (m) { // an admit writing its flag finishes first; later ones find it gone
                m.run++; // ends its health loop
                if (m.dialer != null) m.dialer.close();
            }
        }
        dir.delete();
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
            var root = IsolationReports.bundle(m).root;
            if (root != null && root.path != null) keep.add(Path.of(root.path));
        }
        List<String> shifted = launcher.shifter().prune(keep);
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
        supervisor.close();
        launcher.close();
        ports.close();
        containers.values().forEach(m -> {
            m.run++;
            if (m.dialer != null) m.dialer.close();
        });
        images.close();
    }
}
