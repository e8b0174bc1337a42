package dev.berth.agent.daemon;

import dev.berth.agent.bundle.BundleBuilder;
import dev.berth.agent.bundle.BundleContext;
import dev.berth.agent.bundle.ConfigJson;
import dev.berth.agent.bundle.HostFacts;
import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.bundle.OciSpec;
import dev.berth.agent.bundle.SpecOptions;
import dev.berth.agent.containernet.ContainerNetwork;
import dev.berth.agent.containernet.NetworkRepair;
import dev.berth.agent.containernet.NetworkStart;
import dev.berth.agent.image.ImageService;
import dev.berth.agent.net.NamespaceDialer;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.runtime.ContainerProcess;
import dev.berth.agent.runtime.Runc;
import dev.berth.agent.state.IdRangeStore;
import dev.berth.agent.state.PortAllocations;
import dev.berth.agent.state.RootfsShifter;
import dev.berth.agent.state.VolumeManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Brings containers up: settles a spec (root filesystem, image defaults, host ports), writes its
 * bundle and files, reserves its published ports, starts each run under runc and points its ports
 * and health checks at the run's network namespace, whose results decide whether it serves. A
 * container whose spec has a network joins a namespace the agent makes and attaches while runc
 * starts; its hook holds the process back until that is done. Also picks up containers a previous
 * agent left.
 */
final class ContainerLauncher implements AutoCloseable {
    private final Runc runc;
    private final HostFacts host;
    private final String publishAddress;
    private final IdRangeStore ranges;
    private final RootfsShifter shifter;
    private final VolumeManager volumes;
    private final ImageService images;
    private final PortAllocations allocations;
    private final PublishedPorts ports;
    private final HealthChecks health;
    private final CgroupParent cgroups;
    private final ContainerNetwork network;
    private final Clock clock;
    /** Runs right after a container's CNI ADD; tests make it throw to act out a crash of the agent there. */
    volatile Runnable afterNetworkAdd = () -> { };
    /** Runs right after a container's network namespace is made, before runc starts; for tests, as above. */
    volatile Runnable afterNetworkNamespace = () -> { };
    /** The app of each container in namespaces the agent made: an app among them keeps a spare network. */
    private final Map<String, String> networkedApps = new java.util.concurrent.ConcurrentHashMap<>();

    ContainerLauncher(Path stateDir, Runc runc, HostFacts host, String publishAddress, ImageService images,
                      PortAllocations allocations, PublishedPorts ports, ContainerNetwork network, Runnable changed, Clock clock) {
        this.network = network;
        this.clock = clock;
        this.runc = runc;
        this.host = host;
        this.publishAddress = publishAddress;
        this.ranges = new IdRangeStore(stateDir);
        this.shifter = new RootfsShifter(stateDir);
        this.volumes = new VolumeManager(stateDir);
        this.images = images;
        this.allocations = allocations;
        this.ports = ports;
        this.cgroups = new CgroupParent(AgentTag.of(stateDir), host.cgroupV2());
        this.health = new HealthChecks(runc, m -> {
            if (m.health.status() == HealthTracker.Status.HEALTHY) m.passed(clock.instant());
            updateServing(m);
            changed.run();
        });
    }

    VolumeManager volumes() {
        return volumes;
    }

    RootfsShifter shifter() {
        return shifter;
    }

    CgroupParent cgroups() {
        return cgroups;
    }

    /**
     * Everything but the start: the settled spec, its bundle (secret values join the environment
     * in the 0600 config only), {@code assigned.json} for platform containers, {@code spec.json},
     * its published ports reserved (not serving yet; taking traffic once ready if {@code admitted}),
     * and for a spec with a network that network begun ({@link #launch} finishes it; on failure
     * nothing of it is left).
     */
    ManagedContainer prepare(ContainerSpec spec, Map<String, String> secrets, AssignmentPlan.Owner owner, String fingerprint,
                             boolean admitted, ContainerDir dir) throws IOException {
        var prepared = clock.instant();
        IdRange ids = ranges.rangeFor(spec.app());
        // The network's setup (namespaces, CNI ADD, rules) runs while the image is pulled, its files
        // shifted into the app's range and the bundle written and synced, which leave the CPU idle.
        NetworkStart begun = spec.network() != null ? network.begin(spec.name(), spec.app(), dir.path(), spec.network(), ids,
                afterNetworkNamespace, afterNetworkAdd) : null;
        ManagedContainer m;
        try {
            ContainerSpec resolved = new SpecResolver(images).resolve(spec);
            ContainerSpec settled = resolved.withPorts(hostPorts(resolved));
            m = new ManagedContainer(settled, dir, ids, owner, fingerprint);
            m.admitted = admitted;
            m.timeline = StartTimeline.preparedAt(prepared);
            m.joinsNetns = settled.network() != null;
            writeBundle(m, secrets);
            // Ownership first: a directory with a spec is adopted, and must be adopted as what it is.
            if (owner == AssignmentPlan.Owner.PLATFORM) dir.writeAssigned(fingerprint, admitted);
            dir.writeSpec(settled);
            ports.reserve(settled.name(), settled.app(), publishes(settled), admitted);
        } catch (IOException | RuntimeException e) {
            if (begun != null) begun.cancel(e);
            throw e;
        }
        m.begunNetwork = begun;
        return m;
    }

    /** Starts a run of the container and waits until its command runs; health checks begin at once. */
    void launch(ManagedContainer m) throws IOException {
        m.launching = true;
        try {
            m.run++;
            m.health = HealthTracker.START;
            m.exitSeen = false;
            m.isolation = null;
            ContainerNetwork.Start<ContainerProcess> start = () -> ContainerProcess.start(runc, m.name(), m.dir.bundle(),
                    m.dir.path(), m.dir.log(), cgroups.memoryCgroup(m.name()));
            NetworkStart begun = m.begunNetwork;
            m.begunNetwork = null;
            m.process = begun != null ? begun.finish(start)
                    : m.spec.network() == null || !network.hooked(m.dir.path()) ? start.run()
                    : network.startAttached(m.name(), m.spec.app(), m.dir.path(), m.spec.network(), m.ids, m.joinsNetns,
                    afterNetworkNamespace, afterNetworkAdd, start);
            m.ran(clock.instant());
            connectNetwork(m);
            updateServing(m);
            health.watch(m);
            if (m.joinsNetns && m.spec.network() != null) {
                // The app's next start (a rollout's new replica, a restart) takes a network made now, off its path.
                networkedApps.put(m.name(), m.spec.app());
                String app = m.spec.app();
                network.replenishLater(app, m.ids, () -> networkedApps.containsValue(app));
            }
        } finally {
            m.launching = false;
        }
    }

    /** A restart: runc still holds the ended run (kept for its OOM count), so it goes first, with its network. */
    void relaunch(ManagedContainer m) throws IOException {
        m.launching = true;
        try {
            try {
                runc.delete(m.name(), true);
            } catch (IOException none) {
                // nothing left from the earlier run
            }
            network.detach(m.name(), m.dir.path());
            launch(m);
        } finally {
            m.launching = false;
        }
    }

    /**
     * A container a previous agent started, as its directory tells; its ports are opened again (in
     * traffic or not, as its last assignment said) and its checks resumed.
     */
    ManagedContainer adopt(ContainerDir dir) throws IOException {
        var spec = dir.readSpec();
        var assigned = dir.assigned();
        var m = new ManagedContainer(spec, dir, ranges.rangeFor(spec.app()),
                assigned.isPresent() ? AssignmentPlan.Owner.PLATFORM : AssignmentPlan.Owner.HAND,
                assigned.map(ContainerDir.Assigned::fingerprint).orElse(null));
        m.admitted = assigned.map(ContainerDir.Assigned::serving).orElse(true);
        // Read once: an agent adopting hundreds of containers parses each bundle (with its seccomp profile) only here.
        OciSpec bundle = bundle(dir);
        m.joinsNetns = joinsNetns(bundle);
        if (m.joinsNetns && spec.network() != null) networkedApps.put(spec.name(), spec.app());
        m.process = ContainerProcess.adopt(runc, spec.name(), dir.path(), cgroups.memoryCgroup(bundle, spec.name()));
        m.exitSeen = m.process.exitStatus().isPresent();
        try {
            ports.reserve(spec.name(), spec.app(), publishes(spec), m.admitted);
            connectNetwork(m);
        } catch (IOException e) {
            m.portsLost = true; // a platform container is replaced for it; a hand-started one says so here
            System.getLogger(ContainerLauncher.class.getName()).log(System.Logger.Level.WARNING,
                    "could not re-open the ports of " + spec.name() + ": " + e.getMessage());
        }
        updateServing(m);
        health.watch(m);
        return m;
    }

    /** Whether the bundle joins a network namespace the agent makes (an older agent's lets runc make it). */
    private static boolean joinsNetns(OciSpec bundle) {
        return bundle != null && bundle.linux != null && bundle.linux.namespaces != null
                && bundle.linux.namespaces.stream().anyMatch(n -> "network".equals(n.type()) && n.path() != null);
    }

    /** The container's bundle as written, null when it cannot be read. */
    private static OciSpec bundle(ContainerDir dir) {
        try {
            return IsolationReports.bundle(dir);
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    /**
     * Takes a removed container off the network: its interface, lease, rules and resolv.conf; with
     * the app's last container here its spare network goes too.
     */
    void releaseNetwork(String name, ContainerDir dir) throws IOException {
        String app = networkedApps.remove(name);
        network.detach(name, dir.path());
        network.forget(name);
        if (app != null && !networkedApps.containsValue(app)) network.removeSpare(app);
    }

    /** After adoption: running containers keep their network; what others and vanished ones left is removed. */
    void repairNetwork(Collection<ManagedContainer> held) throws IOException {
        var dirs = new HashMap<String, Path>();
        var live = new HashSet<String>();
        for (ManagedContainer m : held) {
            dirs.put(m.name(), m.dir.path());
            if (m.process.livePid().isPresent()) live.add(m.name());
        }
        NetworkRepair.repair(network, dirs, live);
    }

    ContainerNetwork network() {
        return network;
    }

    /** Points the published ports and network health checks at the container's (new) network namespace. */
    private void connectNetwork(ManagedContainer m) throws IOException {
        if (!m.needsNetwork()) return;
        var pid = m.process.livePid();
        if (pid.isEmpty()) return;
        var old = m.dialer;
        m.dialer = new NamespaceDialer(Path.of("/proc", Long.toString(pid.get()), "ns", "net"), m.name());
        ports.connect(m.name(), m.dialer, ownInterface(m));
        if (old != null) old.close();
    }

    /** The container's own interface, for the kernel to forward its published ports to; null when it has none. */
    private PublishedPorts.Interface ownInterface(ManagedContainer m) throws IOException {
        if (m.spec.network() == null) return null;
        var attached = network.attached(m.dir.path()).orElse(null);
        if (attached == null || attached.hostInterface() == null || attached.addresses().isEmpty()) return null;
        String address = attached.addresses().getFirst();
        return new PublishedPorts.Interface(java.net.InetAddress.ofLiteral(address.substring(0, address.indexOf('/'))),
                attached.hostInterface());
    }

    /** New connections go to a container while it runs and, if it has a health check, passes it. */
    void updateServing(ManagedContainer m) {
        boolean running;
        try {
            running = m.process != null && m.process.exitStatus().isEmpty();
        } catch (IOException e) {
            running = false;
        }
        boolean healthy = m.spec.health() == null || m.health.status() == HealthTracker.Status.HEALTHY;
        ports.ready(m.name(), running && healthy);
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
        return p.hostAddress() == null || p.hostAddress().isBlank() ? publishAddress : p.hostAddress();
    }

    private List<PublishedPorts.Publish> publishes(ContainerSpec spec) {
        return spec.ports().stream().map(p -> new PublishedPorts.Publish(
                new PublishedPorts.Binding(listenAddress(p), p.hostPort()), p.containerPort())).toList();
    }

    /** The bundle, with secret values added to the environment (winning over {@code env}); only its 0600 config holds them. */
    private void writeBundle(ManagedContainer m, Map<String, String> secrets) throws IOException {
        ContainerSpec spec = withSecretsInEnv(m.spec, secrets);
        // A directory given by hand may have changed since the last start; an image's snapshot never does.
        Path rootfs = shifter.prepare(Path.of(spec.rootfs()), m.ids, spec.image() == null).rootfs();
        var volumeSources = new LinkedHashMap<String, String>();
        for (var v : spec.volumes()) volumeSources.put(v.name(), volumes.prepare(spec.app(), v.name(), v.sizeBytes(), m.ids).toString());
        var options = new ArrayList<>(SpecOptions.all());
        if (spec.network() != null) options.add(SpecOptions.network(network.hook(spec.name(), m.dir.path())));
        var oci = BundleBuilder.build(new BundleContext(spec, host, m.ids, rootfs.toString(), volumeSources,
                cgroups.cgroupsPath(spec.name())), options);
        m.dir.writeConfig(ConfigJson.write(oci));
    }

    /** The spec with secret values joined to its environment, winning over {@code env}. Pure. */
    static ContainerSpec withSecretsInEnv(ContainerSpec spec, Map<String, String> secrets) {
        if (secrets.isEmpty()) return spec;
        var env = new TreeMap<>(spec.env());
        env.putAll(secrets);
        return spec.withEnv(env);
    }

    /** Stops health checking and waits for a spare network being made; containers keep running, spares stay for repair. */
    @Override
    public void close() {
        health.close();
        network.closeSpares();
    }
}
