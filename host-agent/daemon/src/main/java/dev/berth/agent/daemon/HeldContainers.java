package dev.berth.agent.daemon;

import dev.berth.agent.protocol.AssignedContainer;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.runtime.ExitStatus;
import dev.berth.agent.runtime.Runc;
import dev.berth.image.ImageReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The containers this agent holds, by name: creating (by hand or as assigned), adopting what a
 * previous agent left in the state directory, stopping, retiring and removing them, and which of
 * the platform's take traffic.
 */
final class HeldContainers implements PlatformContainers {
    private static final System.Logger log = System.getLogger(HeldContainers.class.getName());
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Work that must not overlap a container taking hold of its root filesystem. */
    interface WhileNoneStarts<T> {
        T run() throws IOException;
    }

    /** Connections to a container that its published ports do not see: the connects the kernel forwards to it. */
    interface Draining {
        /** No consumer's kernel rule sends the container a new connection once this returns. */
        void drain(String name);

        /** Connections still open to it. */
        int active(String name);
    }

    private static final Draining NO_CONNECTS = new Draining() {
        @Override
        public void drain(String name) {
        }

        @Override
        public int active(String name) {
            return 0;
        }
    };

    private final Path containersDir;
    private final Runc runc;
    private final ContainerLauncher launcher;
    private final PublishedPorts ports;
    private final Duration stopGrace;
    private final Runnable changed;
    private final ReadWriteLock starting = new ReentrantReadWriteLock();
    private final Map<String, ManagedContainer> containers = new ConcurrentHashMap<>();
    private volatile Draining connects = NO_CONNECTS;

    HeldContainers(Path stateDir, Runc runc, ContainerLauncher launcher, PublishedPorts ports, Duration stopGrace,
                   Runnable changed) {
        this.containersDir = stateDir.resolve("containers");
        this.runc = runc;
        this.launcher = launcher;
        this.ports = ports;
        this.stopGrace = stopGrace;
        this.changed = changed;
    }

    /** Drains the connects forwarded to a container along with its published ports, from now on. */
    void drainingConnects(Draining draining) {
        this.connects = draining;
    }

    /**
     * Takes up every container a previous agent left in the state directory. A directory without a
     * spec is a creation that agent did not finish (the spec is written last, before any start):
     * what it had begun (the network's namespace and setup) is undone and the directory removed.
     */
    void adoptAll() throws IOException {
        try (Stream<Path> dirs = Files.list(containersDir)) {
            for (Path path : dirs.toList()) {
                var dir = new ContainerDir(path);
                if (!dir.hasSpec()) {
                    log.log(System.Logger.Level.INFO, "removing " + path.getFileName() + ": its creation did not finish");
                    cleanUp(path.getFileName().toString(), dir);
                    continue;
                }
                var m = launcher.adopt(dir);
                containers.put(m.name(), m);
            }
        }
    }

    /** A container started by hand; assignments never touch it. */
    ManagedContainer runByHand(ContainerSpec spec) throws IOException {
        return create(spec, Map.of(), AssignmentPlan.Owner.HAND, null, true);
    }

    @Override
    public void startAssigned(AssignedContainer assigned, String fingerprint) throws IOException {
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
     * On each published port, every change for it lands in one step (new connections go only to
     * the new set from then on; open ones carry on), then each container's flag is kept beside it
     * for a restarted agent. Names of hand-started or unknown containers are ignored.
     */
    @Override
    public void admit(Map<String, Boolean> admit) {
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
        log.log(System.Logger.Level.INFO, "traffic switched: " + new TreeMap<>(change));
        changed.run();
    }

    private ManagedContainer create(ContainerSpec spec, Map<String, String> secrets, AssignmentPlan.Owner owner,
                                    String fingerprint, boolean admitted) throws IOException {
        if (!ContainerNames.valid(spec.name())) {
            throw new IOException("container name '" + spec.name() + "' must be 1-63 lowercase letters, digits, '.', '_' or '-'");
        }
        if (!ContainerNames.valid(spec.app())) {
            throw new IOException("app name '" + spec.app() + "' must be 1-63 lowercase letters, digits, '.', '_' or '-'");
        }
        var dir = new ContainerDir(containersDir.resolve(spec.name()));
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

    /** Runs {@code work} while no container is being started. */
    <T> T whileNoneStarts(WhileNoneStarts<T> work) throws IOException {
        starting.writeLock().lock();
        try {
            return work.run();
        } finally {
            starting.writeLock().unlock();
        }
    }

    /** Every container, in no particular order. */
    Collection<ManagedContainer> all() {
        return containers.values();
    }

    /** Every container, by name. */
    List<ManagedContainer> sorted() {
        return containers.values().stream().sorted(Comparator.comparing(ManagedContainer::name)).toList();
    }

    ManagedContainer get(String name) throws IOException {
        ManagedContainer m = containers.get(name);
        if (m == null) throw new IOException("no container named '" + name + "'");
        return m;
    }

    Runc.ExecResult exec(String name, List<String> command) throws IOException {
        if (!get(name).info().status().equals("running")) throw new IOException("container '" + name + "' is not running");
        return runc.exec(name, command);
    }

    /** SIGTERM, then SIGKILL after {@code grace}; it takes no new connections from the moment it is asked to stop. */
    ExitStatus stop(String name, Duration grace) throws IOException {
        ManagedContainer m = get(name);
        m.stopping = true;
        ports.drain(name);
        connects.drain(name);
        return m.process.stop(grace);
    }

    /** Removes a stopped container and its state; volumes stay. */
    void remove(String name) throws IOException {
        ManagedContainer m = get(name);
        if (m.process.exitStatus().isEmpty() && "running".equals(m.runtimeStatus())) {
            throw new IOException("container '" + name + "' is running; stop it first with 'berth-agent stop " + name + "'");
        }
        cleanUp(name, m.dir);
        changed.run();
    }

    /**
     * No new connections, open ones get up to the grace period to finish, then SIGTERM, the grace
     * period again, SIGKILL, and removal.
     */
    @Override
    public void retire(String name) throws IOException {
        ManagedContainer m = get(name);
        m.stopping = true;
        ports.drain(name);
        connects.drain(name);
        changed.run();
        long deadline = System.nanoTime() + stopGrace.toNanos();
        while (ports.active(name) + connects.active(name) > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while draining " + name);
            }
        }
        long stopping = System.nanoTime();
        var ended = m.process.stop(stopGrace);
        if (ended.code() == 128 + 9 && System.nanoTime() - stopping >= stopGrace.toNanos()) {
            // The common cause: an app running as the container's first process gets no default SIGTERM action.
            log.log(System.Logger.Level.INFO, name + " did not exit within " + stopGrace.toSeconds() + "s of SIGTERM and was killed;"
                    + " its address and ports stayed taken until then (a first process needs a SIGTERM handler)");
        }
        remove(name);
    }

    @Override
    public List<AssignmentPlan.Held> held() {
        var out = new ArrayList<AssignmentPlan.Held>();
        for (ManagedContainer m : containers.values()) {
            out.add(new AssignmentPlan.Held(m.name(), m.owner, m.fingerprint, m.owner == AssignmentPlan.Owner.PLATFORM && m.lost(),
                    m.admitted));
        }
        return out;
    }

    @Override
    public Set<String> platformNames() {
        var out = new HashSet<String>();
        containers.values().forEach(m -> {
            if (m.owner == AssignmentPlan.Owner.PLATFORM) out.add(m.name());
        });
        return out;
    }

    /** Refuses while a container of {@code app} mounts the volume. */
    void requireVolumeUnused(String app, String volume) throws IOException {
        for (ManagedContainer m : containers.values()) {
            if (m.spec.app().equals(app) && m.spec.volumes().stream().anyMatch(v -> v.name().equals(volume))) {
                throw new IOException("volume '" + volume + "' is used by container '" + m.name() + "'; remove that first");
            }
        }
    }

    /** The image digests containers run, each with one container running it. */
    Map<String, String> imagesInUse() {
        var inUse = new HashMap<String, String>();
        for (ManagedContainer m : containers.values()) {
            if (m.spec.image() == null) continue;
            String image = m.spec.image();
            String digest = image.startsWith("sha256:") ? image : ImageReference.parse(image).digest();
            if (digest != null) inUse.putIfAbsent(digest, m.name());
        }
        return inUse;
    }

    /** The root filesystems containers run from, as their bundles name them. */
    Set<Path> rootFilesystemsInUse() throws IOException {
        var keep = new HashSet<Path>();
        for (ManagedContainer m : containers.values()) {
            var root = IsolationReports.bundle(m).root;
            if (root != null && root.path != null) keep.add(Path.of(root.path));
        }
        return keep;
    }

    private void cleanUp(String name, ContainerDir dir) throws IOException {
        try {
            runc.delete(name, true);
        } catch (IOException none) {
            // never created
        }
        ManagedContainer m = containers.remove(name);
        if (containers.isEmpty()) launcher.cgroups().release();
        ports.release(name);
        try {
            launcher.releaseNetwork(name, dir);
        } catch (IOException | RuntimeException e) {
            // The next agent's repair finds the lease and rules by the container's name.
            log.log(System.Logger.Level.WARNING, "could not take " + name + " off the network: " + e.getMessage());
        }
        if (m != null) {
            synchronized (m) { // an admit writing its flag finishes first; later ones find it gone
                m.run++; // ends its health loop
                if (m.dialer != null) m.dialer.close();
            }
        }
        dir.delete();
    }

    /** Lets go of every container (health loops end, dialers close); the containers keep running. */
    void releaseAll() {
        containers.values().forEach(m -> {
            m.run++;
            if (m.dialer != null) m.dialer.close();
        });
    }
}
