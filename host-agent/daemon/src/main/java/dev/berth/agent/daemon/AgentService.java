package dev.berth.agent.daemon;

import dev.berth.agent.bundle.HostFacts;
import dev.berth.agent.bundle.HostProbe;
import dev.berth.agent.bundle.HostRequirements;
import dev.berth.agent.cni.CniPlugins;
import dev.berth.agent.connect.Connects;
import dev.berth.agent.connect.NoPeerLink;
import dev.berth.agent.connect.RemoteReplicas;
import dev.berth.agent.containernet.ContainerNetwork;
import dev.berth.agent.edge.AppTraffic;
import dev.berth.agent.edge.EdgeService;
import dev.berth.agent.image.ImageService;
import dev.berth.agent.inspect.IsolationReport;
import dev.berth.agent.peer.PeerServer;
import dev.berth.agent.protocol.Assignment;
import dev.berth.agent.metrics.ContainerSampler;
import dev.berth.agent.protocol.ConnectGrant;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.agent.protocol.EdgeStatus;
import dev.berth.agent.refusal.RefusalLog;
import dev.berth.agent.refusal.RefusalReadings;
import dev.berth.agent.runtime.ExitStatus;
import dev.berth.agent.runtime.Runc;
import dev.berth.agent.state.PortAllocations;
import dev.berth.agent.sys.SyscallPort;
import dev.berth.registry.Platform;
import dev.berth.registry.RegistryConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The agent's operations, the Java API the CLI (through the daemon's socket) and the platform link
 * drive: run, ps, inspect, logs, stop, rm, volume rm, images, and applying assignments. State lives
 * in the state directory, so a restarted agent adopts the containers a previous one started,
 * including which of them the platform owns. The containers themselves are {@link HeldContainers};
 * assignments are applied to them by an {@link AssignmentApplier}.
 */
public final class AgentService implements AutoCloseable {
    /** Where Debian's containernetworking-plugins are. */
    static final Path CNI_PLUGINS = Path.of("/usr/lib/cni");
    static final Path NFT = Path.of("/usr/sbin/nft");
    private final HeldContainers containers;
    private final AssignmentApplier assignments;
    private final Supervisor supervisor;
    private final ContainerLauncher launcher;
    private final PublishedPorts ports;
    private final IsolationReports isolation;
    private final ImageService images;
    private final StatusChanges changes;
    private final Connects connects;
    private final RefusalReadings refusals;
    private final ConnectedContainers connected;
    private final ResourceSamples samples;
    private volatile List<ConnectGrant> grants = List.of();
    private EdgeService edge;
    private volatile Supplier<Optional<PrivateKey>> edgeKey = Optional::empty;

    private AgentService(HeldContainers containers, AssignmentApplier assignments, Supervisor supervisor,
                         ContainerLauncher launcher, PublishedPorts ports, IsolationReports isolation, ImageService images,
                         StatusChanges changes, Connects connects, ConnectedContainers connected, RefusalReadings refusals,
                         ResourceSamples samples) {
        this.containers = containers;
        this.assignments = assignments;
        this.supervisor = supervisor;
        this.launcher = launcher;
        this.ports = ports;
        this.isolation = isolation;
        this.images = images;
        this.changes = changes;
        this.connects = connects;
        this.refusals = refusals;
        this.connected = connected;
        this.samples = samples;
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
        var runc = Runc.forStateDirectory(runcBinary, stateDir);
        HostFacts host = HostProbe.probe(runc);
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
        var changes = new StatusChanges();
        var network = new ContainerNetwork(stateDir, options.network(), ContainerNetwork.resolvers(options.network()),
                new CniPlugins(List.of(CNI_PLUGINS), Duration.ofSeconds(20)), NFT,
                AgentTag.of(stateDir).firewallTable());
        var ports = new PublishedPorts(options.publishAddress(), options.advertiseAddress(), network::firewall);
        var launcher = new ContainerLauncher(stateDir, runc, host, options.publishAddress(), images,
                new PortAllocations(stateDir, options.portRange()), ports, network, changes, Clock.systemUTC());
        var containers = new HeldContainers(stateDir, runc, launcher, ports, options.stopGrace(), changes);
        containers.adoptAll();
        launcher.repairNetwork(containers.all());
        var assignments = new AssignmentApplier(containers, stateDir, Clock.systemUTC(), changes);
        var supervisor = new Supervisor(containers::all, launcher, changes);
        var connected = new ConnectedContainers(containers, network);
        var connects = new Connects(connected, new NoPeerLink(), connected::consumers, Connects.DIAL_TIMEOUT, network::firewall);
        containers.drainingConnects(new HeldContainers.Draining() {
            @Override
            public void drain(String name) {
                connects.drain(name);
            }

            @Override
            public int active(String name) {
                return connects.active(name);
            }
        });
        var service = new AgentService(containers, assignments, supervisor, launcher, ports,
                new IsolationReports(host.cgroupV2(), network), images, changes, connects, connected,
                new RefusalReadings(network::refusals, new RefusalLog(Clock.systemUTC(), ContainerStatus.MAX_REFUSED)),
                new ResourceSamples(containers::all, launcher.cgroups(),
                        new ContainerSampler(Path.of("/sys/fs/cgroup"), Path.of("/proc"), host.cgroupV2())));
        changes.listen(connects::wake);
        supervisor.start();
        service.samples.start();
        connects.start();
        if (options.edge() != null) {
            service.edge = EdgeService.start(options.edge(), stateDir, () -> service.edgeKey.get(), System.err,
                    changes);
        }
        return service;
    }

    /**
     * The nftables table ({@code inet}) of the agent of {@code stateDirectory}: it outlives the agent,
     * like its containers, until removed.
     */
    public static String firewallTable(Path stateDirectory) {
        return AgentTag.of(stateDirectory.toAbsolutePath().normalize()).firewallTable();
    }

    /** Runs a container by hand (the CLI); assignments never touch it. */
    public ContainerInfo run(ContainerSpec spec) throws IOException {
        return containers.runByHand(spec).info();
    }

    /** Converges on the platform's assignment in the background; returns at once. */
    public void apply(Assignment assignment) {
        grants = assignment.grants();
        // An agent without --edge ignores the edge part entirely.
        if (edge != null) edge.assigned(assignment.generation(), assignment.edge());
        connects.assigned(assignment);
        assignments.apply(assignment);
    }

    /** Certificate keys an edge receives are sealed to the key {@code key} gives (the platform link's, renewed in place). */
    public void edgeKey(Supplier<Optional<PrivateKey>> key) {
        edgeKey = key;
    }

    /** The edge proxy's state for heartbeats; null when this agent runs without {@code --edge}. */
    public EdgeStatus edgeStatus() {
        return edge == null ? null : edge.status();
    }

    /** What the edge saw of each app's requests; empty without {@code --edge}. */
    public Optional<AppTraffic> edgeTraffic() {
        return Optional.ofNullable(edge).map(EdgeService::traffic);
    }

    /** Replicas on other hosts are reached through {@code replicas} (the peer link) from now on. */
    public void remoteReplicas(RemoteReplicas replicas) {
        connects.remote(replicas);
    }

    /** Who may reach this host's replicas through its peer listener: the latest assignment's grants. */
    public List<ConnectGrant> grants() {
        return grants;
    }

    /**
     * {@code container} as the peer listener reaches it: while it is a platform container this
     * host runs in traffic (admitted, running, healthy if checked, not stopping), dialled inside
     * its own network namespace, the check made again at each dial; empty otherwise.
     */
    public Optional<PeerServer.Replica> servingReplica(String container) {
        return connected.servingApp(container).map(app -> new PeerServer.Replica(app, port -> connects.dialServing(container, port)));
    }

    /** The generation of the last assignment applied, -1 before the first. */
    public long generation() {
        return assignments.generation();
    }

    /** No assignment step is under way; for tests that wait for an apply to settle. */
    boolean assignmentsIdle() {
        return assignments.idle();
    }

    /** The containers whose connects listen now; for tests that wait for them. */
    java.util.Set<String> connectsListening() {
        return connects.listening();
    }

    /** What the kernel forwards of {@code container}'s connects now; for tests. */
    List<dev.berth.agent.firewall.ConnectForward> connectsForwarded(String container) {
        return connects.forwarded(container);
    }

    /** Connections the kernel forwarded to {@code container} that are open now; for tests. */
    int connectsActive(String container) {
        return connects.active(container);
    }

    /** Runs {@code hook} right after each container's CNI ADD (tests make it throw to act out a crash there). */
    void afterNetworkAdd(Runnable hook) {
        launcher.afterNetworkAdd = hook;
    }

    ContainerLauncher launcherForTests() {
        return launcher;
    }

    /** Called whenever something a heartbeat reports has changed: a start, stop, removal, health or serving change. */
    public void onChange(Runnable listener) {
        changes.listen(() -> {
            connects.wake();
            if (listener != null) listener.run();
        });
    }

    /** The resource sampler, for tests that sample at once instead of waiting for its period. */
    ResourceSamples samples() {
        return samples;
    }

    public List<ContainerInfo> ps() throws IOException {
        var out = new ArrayList<ContainerInfo>();
        for (ManagedContainer m : containers.sorted()) out.add(m.info());
        return out;
    }

    /**
     * Every container as the platform hears of it: state, exit, health, restarts, where its ports
     * are served, the isolation report of its live process (measured once per process) and what the
     * firewall refused it (read afresh each time), its latest resource sample; then assigned containers not running yet,
     * {@code starting} or {@code failed}.
     */
    public List<ContainerStatus> statuses() throws IOException {
        var out = new ArrayList<ContainerStatus>();
        var held = new HashSet<String>();
        refusals.refresh();
        for (ManagedContainer m : containers.sorted()) {
            // Ports before health: a port serves only once its replica passed its check, so read in
            // this order a report never says "serving" beside a health from before that pass.
            var published = ports.published(m.name());
            var info = m.info();
            held.add(m.name());
            boolean running = "running".equals(info.status());
            out.add(refusals.of(m.name()).onto(info.status(published,
                    running ? isolation.checks(m, info.pid()) : List.of()))
                    .withMetrics(running ? samples.of(m.name(), info.pid()) : null));
        }
        out.addAll(assignments.pending(held));
        return out;
    }

    /** The log files of platform containers (and notes on those that cannot start) and an edge's access lines, for shipping. */
    public List<LogSource> platformLogs() {
        var out = new ArrayList<LogSource>();
        var held = new HashSet<String>();
        for (ManagedContainer m : containers.sorted()) {
            held.add(m.name());
            if (m.owner == AssignmentPlan.Owner.PLATFORM) out.add(new LogSource(m.name(), m.dir.log()));
        }
        out.addAll(assignments.notes(held));
        // An edge's access lines ship as streams of their own, edge_TEAM.APP, which no container is named.
        if (edge != null) edge.accessLogs().forEach((stream, file) -> out.add(new LogSource(stream, file)));
        return out;
    }

    public Inspection inspect(String name) throws IOException {
        ManagedContainer m = containers.get(name);
        var info = m.info();
        IsolationReport report = info.status().equals("running") ? isolation.measure(m, info.pid()) : null;
        return new Inspection(info, m.dir.bundle().toString(), m.ids, m.spec.ports(), m.spec.resources(), report, m.timeline);
    }

    public Path logFile(String name) throws IOException {
        return containers.get(name).dir.log();
    }

    public Runc.ExecResult exec(String name, List<String> command) throws IOException {
        return containers.exec(name, command);
    }

    /** SIGTERM, then SIGKILL after {@code grace}; it takes no new connections from the moment it is asked to stop. */
    public ExitStatus stop(String name, Duration grace) throws IOException {
        return containers.stop(name, grace);
    }

    /** Removes a stopped container and its state; volumes stay. */
    public void remove(String name) throws IOException {
        containers.remove(name);
    }

    public void removeVolume(String app, String volume) throws IOException {
        containers.requireVolumeUnused(app, volume);
        launcher.volumes().remove(app, volume);
    }

    /** Pulling, listing and inspecting images; removal and collection go through this service, which knows what is in use. */
    public ImageService images() {
        return images;
    }

    /** Removes an image name, or by digest the image; refuses while a container runs it. */
    public List<String> removeImage(String reference) throws IOException {
        return images.remove(reference, containers.imagesInUse());
    }

    /** What {@code image gc} removed. */
    public record Collected(List<String> blobs, List<String> snapshots, List<String> shiftedRootfs, long bytes) {
    }

    /** Removes blobs, snapshots and shifted root filesystems that no image or container references. */
    public Collected collectGarbage() throws IOException {
        return containers.whileNoneStarts(() -> {
            List<String> shifted = launcher.shifter().prune(containers.rootFilesystemsInUse());
            var collected = images.gc();
            return new Collected(collected.blobs(), collected.snapshots(), shifted, collected.bytes());
        });
    }

    /**
     * Stops applying and supervising, closes ports and stops the edge proxy; containers keep
     * running, to be adopted by the next agent.
     */
    @Override
    public void close() {
        samples.stop();
        if (edge != null) edge.close();
        connects.close();
        assignments.close();
        supervisor.close();
        launcher.close();
        ports.close();
        containers.releaseAll();
        images.close();
    }
}
