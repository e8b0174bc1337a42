package dev.berth.agent.containernet;

import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.bundle.NetworkHook;
import dev.berth.agent.cni.CniNetwork;
import dev.berth.agent.cni.CniPlugins;
import dev.berth.agent.cni.CniResult;
import dev.berth.agent.firewall.ContainerRules;
import dev.berth.agent.firewall.Destination;
import dev.berth.agent.firewall.Firewall;
import dev.berth.agent.firewall.Refusal;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.runtime.ProcessIdentity;
import dev.berth.atomicfile.AtomicFile;
import dev.berth.registry.network.Cidr;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * The network of this agent's containers: each container that asks for one gets a veth pair from
 * the CNI {@code ptp} plugin (one address of the agent's subnet from {@code host-local}, routes
 * through the host, no bridge: every packet passes the host's firewall), its rules in the agent's
 * nftables table, and a resolv.conf, in a network namespace the agent makes before runc starts.
 * Containers without a network keep loopback only.
 *
 * <p>Files: {@code STATE/network/leases} (host-local's, this agent's alone), {@code
 * STATE/network/resolv/NAME} (bind-mounted read-only; its directories passable, as runc mounts it
 * as the container's user-namespaced root), {@code STATE/network/netns/NAME} and {@code
 * userns/NAME} (see {@link NetworkNamespaces}), and {@code network.json} plus the hook's FIFOs in the
 * container's own directory.
 */
public final class ContainerNetwork {
    /** How long runc's hook waits for the agent before the start fails. */
    public static final int HOOK_TIMEOUT_SECONDS = 30;
    /** The container's side of its veth, inside its namespace. */
    public static final String INTERFACE = "eth0";
    static final int VETH_MTU = 65535;
    static final String RECORD = "network.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path PROC = Path.of("/proc");

    private final Path root;
    private final NetworkSettings settings;
    private final List<InetAddress> resolvers;
    private final CniPlugins cni;
    private final CniNetwork conflist;
    private final Path nft;
    private final String table;
    private final NetworkNamespaces namespaces;
    private final SpareNetworks spares;
    private Firewall firewall;

    /**
     * @param resolvers the DNS servers containers are given (see {@link #resolvers})
     * @param table the agent's nftables table
     */
    public ContainerNetwork(Path stateDir, NetworkSettings settings, List<InetAddress> resolvers, CniPlugins cni, Path nft,
                            String table) {
        this.root = stateDir.resolve("network");
        this.settings = settings;
        this.resolvers = List.copyOf(resolvers);
        this.cni = cni;
        this.nft = nft;
        this.table = table;
        this.namespaces = new NetworkNamespaces(root);
        // A large MTU: traffic between a container and its host (published ports, the edge proxy)
        // moves in 64 KiB frames, not 1500-byte ones (docs/benchmarks.md, published ports); TCP to
        // other hosts follows their MSS, and path MTU discovery's ICMP errors reach the container.
        this.conflist = new CniNetwork("berth", "1.0.0", List.of(Map.of("type", "ptp", "ipMasq", false, "mtu", VETH_MTU,
                "ipam", Map.of("type", "host-local", "dataDir", root.resolve("leases").toString(),
                        "ranges", List.of(List.of(Map.of("subnet", settings.subnet().toString()))),
                        "routes", List.of(Map.of("dst", "0.0.0.0/0"))))));
        this.spares = new SpareNetworks(root, cni, conflist);
    }

    /** The servers of the settings, or else the host's ({@code /etc/resolv.conf}, systemd-resolved's upstream list). */
    public static List<InetAddress> resolvers(NetworkSettings settings) throws IOException {
        if (!settings.dns().isEmpty()) return settings.dns();
        Path upstream = Path.of("/run/systemd/resolve/resolv.conf");
        Path etc = Path.of("/etc/resolv.conf");
        return Resolvers.fromHost(Files.exists(etc) ? Files.readString(etc) : "",
                Files.exists(upstream) ? Files.readString(upstream) : null);
    }

    /**
     * Where a container's bundle finds its network: the hook's FIFOs in {@code dir}, its resolv.conf
     * and its namespaces, all made by {@link #begin}. Pure.
     */
    public NetworkHook hook(String name, Path dir) {
        return new NetworkHook(dir.resolve(HookChannel.REQUEST).toString(), dir.resolve(HookChannel.REPLY).toString(),
                root.resolve("resolv").resolve(name).toString(), namespaces.path(name).toString(), namespaces.userPath(name).toString(),
                HOOK_TIMEOUT_SECONDS);
    }

    /** Writes the resolv.conf runc mounts into the container (read-only), before each start. */
    void writeResolvConf(String name, ContainerSpec.Network network) throws IOException {
        AtomicFile.at(resolvDir().resolve(name)).withMode("rw-r--r--")
                .write(Resolvers.resolvConf(resolvers, reachesAnything(network)).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether the container of {@code dir} waits for the agent when it starts: its bundle has the
     * hook (one written before networking existed has not, whatever its spec says).
     */
    public boolean hooked(Path dir) {
        return HookChannel.exists(dir);
    }

    /** A start of runc that returns once the container's process runs or runc has ended. */
    @FunctionalInterface
    public interface Start<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code start} with the network setup its hook waits for beside it; returns what {@code
     * start} returned once both are done. {@code joined}: the bundle joins the namespaces the agent
     * makes here before runc starts (the user namespace with the mapping of {@code ids}), so the
     * setup runs while runc does (see {@link NetworkStart}); otherwise (a bundle of an older agent)
     * runc makes them and the setup waits for the hook to name the process. A failed setup fails
     * the start (runc aborts it) with the setup's reason and leaves nothing behind. {@code
     * afterNamespace} runs once the namespaces exist, {@code afterAdd} right after CNI ADD (or after
     * taking {@code app}'s spare): an {@link Error} either throws passes through untouched, as if the
     * agent had died there.
     */
    public <T> T startAttached(String name, String app, Path dir, ContainerSpec.Network network, IdRange ids, boolean joined,
                               Runnable afterNamespace, Runnable afterAdd, Start<T> start) throws IOException {
        return NetworkStart.begin(this, name, app, dir, network, joined ? ids : null, afterNamespace, afterAdd).finish(start);
    }

    /**
     * Begins a new container's network before its bundle is written: the hook's FIFOs, the
     * namespaces its bundle will join (with the mapping of {@code ids}: {@code app}'s spare where one
     * is ready, see {@link #replenishLater}) and the setup, which then
     * runs while the agent writes the bundle and runc starts. The caller either {@linkplain
     * NetworkStart#finish finishes} it with runc's start or {@linkplain NetworkStart#cancel cancels}
     * it. {@code afterNamespace} and {@code afterAdd} as for {@link #startAttached}.
     */
    public NetworkStart begin(String name, String app, Path dir, ContainerSpec.Network network, IdRange ids, Runnable afterNamespace,
                              Runnable afterAdd) throws IOException {
        HookChannel.create(dir);
        return NetworkStart.begin(this, name, app, dir, network, ids, afterNamespace, afterAdd);
    }

    /**
     * Gives {@code name} the spare of {@code app} if one with the mapping {@code ids} is ready: its
     * id and result recorded first, then its namespaces pinned under {@code name} (where the bundle
     * joins them). Null when there is none, or taking it failed (then nothing of it is left).
     */
    Attached takeSpare(String app, IdRange ids, String name, Path dir) throws IOException {
        var spare = spares.take(app, ids);
        if (spare.isEmpty()) return null;
        var taken = spare.get().attached().as(spare.get().id(), namespaces.path(name).toString());
        write(dir, taken);
        try {
            namespaces.adopt(spares.namespaces(), spare.get().id(), name);
            spares.taken(spare.get());
            return taken;
        } catch (IOException | RuntimeException e) {
            detach(name, dir); // releases the spare's lease and interface
            spares.namespaces().remove(spare.get().id());
            spares.taken(spare.get());
            System.getLogger(ContainerNetwork.class.getName()).log(System.Logger.Level.WARNING,
                    "could not take the spare network of " + app + " for " + name + ": " + e.getMessage());
            return null;
        }
    }

    /** The setup of a container in a spare it took: its interface still there, then its rules. */
    Attached attachTaken(String name, Attached taken, ContainerSpec.Network network, Runnable afterAdd) throws IOException {
        afterAdd.run();
        if (!Files.exists(Path.of("/sys/class/net").resolve(taken.hostInterface()))) {
            throw new IOException("the interface " + taken.hostInterface() + " of the spare network " + name + " took is gone");
        }
        firewall().apply(rules(name, taken, network));
        return taken;
    }

    /** Makes a spare network for {@code app} in the background, unless it has one or {@code wanted} says no by then. */
    public void replenishLater(String app, IdRange ids, java.util.function.BooleanSupplier wanted) {
        spares.replenishLater(app, ids, wanted);
    }

    /** Removes {@code app}'s spare network (waiting for one being made). */
    public void removeSpare(String app) throws IOException {
        spares.remove(app);
    }

    /** The attachment of {@code app}'s spare network ready to be taken, if any. */
    public Optional<Attached> spare(String app) {
        return spares.ready(app).map(SpareNetworks.Spare::attached);
    }

    /** Runs right after a spare network's CNI ADD; tests make it throw an {@link Error} to act out a crash there. */
    public void afterSpareAdd(Runnable then) {
        spares.afterAdd = then;
    }

    /** Waits for a spare being made; spares stay, for the next agent's repair. */
    public void closeSpares() {
        spares.close();
    }

    SpareNetworks spares() {
        return spares;
    }

    /** Records where the namespace of {@code name} will be, then makes it; on failure nothing is left. */
    void makeNamespace(String name, Path dir, IdRange ids) throws IOException {
        // Recorded first: an agent dying from here on leaves enough for the next to undo it.
        write(dir, Attached.joining(namespaces.path(name).toString()));
        try {
            namespaces.create(name, ids);
        } catch (IOException | RuntimeException e) {
            try {
                detach(name, dir);
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** The setup of a container in the namespace the agent made: loopback up, ADD, then its rules. */
    Attached attachJoined(String name, Path dir, ContainerSpec.Network network, Runnable afterAdd) throws IOException {
        var before = attached(dir).orElseThrow(() -> new IOException("the network record of " + name + " is gone"));
        namespaces.loopbackUp(name);
        return attach(name, dir, before, Path.of(before.netns()), network, afterAdd);
    }

    /** The setup of a container in the namespace runc made, for the process runc's state (from the hook) names. */
    Attached attachToProcess(String name, Path dir, ContainerSpec.Network network, String state, Runnable afterAdd)
            throws IOException {
        if (state.isEmpty()) throw new IOException("runc ended before the network hook of " + name + " ran");
        long pid = JSON.readTree(state).path("pid").asLong(0);
        var process = ProcessIdentity.of(PROC, pid)
                .orElseThrow(() -> new IOException("the network hook names pid " + pid + ", which is not running"));
        // Kept before ADD, so that an agent dying during it leaves enough for the next to undo it.
        var before = Attached.before(process.line());
        write(dir, before);
        return attach(name, dir, before, netns(process), network, afterAdd);
    }

    private Attached attach(String name, Path dir, Attached before, Path netns, ContainerSpec.Network network, Runnable afterAdd)
            throws IOException {
        CniResult result = cni.add(conflist, new CniPlugins.Attachment(name, netns, INTERFACE));
        var attached = before.with(result);
        write(dir, attached);
        afterAdd.run();
        if (attached.hostInterface() == null) throw new IOException("CNI ADD named no host interface for " + name);
        firewall().apply(rules(name, attached, network));
        return attached;
    }

    /**
     * Takes a container off the network: CNI DEL with the kept result, its rules removed, {@code
     * network.json} deleted. Nothing happens for one never attached; safe to repeat.
     */
    public void detach(String name, Path dir) throws IOException {
        var attached = attached(dir);
        if (attached.isEmpty()) return;
        Map<String, Object> json = attached.get().cni();
        CniResult added = json == null ? null : new CniResult(json, List.of()); // DEL reads the JSON only
        Path netns = attached.get().netns() != null ? pinnedOr(name, dir) : namespaceIfAlive(attached.get(), dir);
        cni.del(conflist, new CniPlugins.Attachment(attached.get().cniIdOr(name), netns, INTERFACE), added);
        firewall().remove(name);
        namespaces.remove(name);
        Files.deleteIfExists(dir.resolve(RECORD));
    }

    /** Deletes a removed container's resolv.conf. */
    public void forget(String name) throws IOException {
        Files.deleteIfExists(resolvDir().resolve(name));
    }

    /** What {@code network.json} of {@code dir} says, if anything. */
    public Optional<Attached> attached(Path dir) throws IOException {
        Path file = dir.resolve(RECORD);
        if (!Files.exists(file)) return Optional.empty();
        return Optional.of(JSON.readValue(Files.readString(file), Attached.class));
    }

    /** The resolv.conf the agent wrote for a container; empty when it wrote none. */
    public String resolvConf(String name) throws IOException {
        Path file = root.resolve("resolv").resolve(name);
        return Files.exists(file) ? Files.readString(file) : "";
    }

    /** The rules of one container as nftables lists them. */
    public String describe(String name) throws IOException {
        return firewall().describe(name);
    }

    /** Whether {@code dir} holds a container this agent has given a network (its table exists then). */
    public boolean inUse() {
        return Files.isDirectory(root);
    }

    /** The agent's leases, for repair. */
    Path leases() {
        return root.resolve("leases").resolve(conflist.name());
    }

    /** Removes what a container that is gone left: its lease (CNI DEL by id), its rules and its namespace. */
    void removeLeftover(String name, boolean rules) throws IOException {
        cni.del(conflist, new CniPlugins.Attachment(name, pinnedOr(name, root), INTERFACE), null);
        if (rules) firewall().remove(name);
        namespaces.remove(name);
    }

    /** The containers with anything of an agent-made namespace left, for repair. */
    Set<String> namespaceHolders() throws IOException {
        return namespaces.names();
    }

    /** Removes a namespace whose container is gone, after its lease and rules. */
    void removeNamespace(String name) throws IOException {
        namespaces.remove(name);
    }

    /** The pinned namespace of {@code name}; else a path that does not exist (under {@code dir}), so DEL only releases. */
    private Path pinnedOr(String name, Path dir) throws IOException {
        return namespaces.pinned(name) ? namespaces.path(name) : dir.resolve("no-namespace");
    }

    Firewall firewallForRepair() throws IOException {
        return firewall();
    }

    Path resolvDir() throws IOException {
        Path dir = root.resolve("resolv");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            for (Path p : List.of(root, dir)) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx--x--x"));
        }
        return dir;
    }

    /** What the firewall refused each container ({@link Firewall#refusals}); nothing while it was never opened. */
    public List<Refusal> refusals() throws IOException {
        Firewall opened;
        synchronized (this) {
            opened = firewall;
        }
        return opened == null ? List.of() : opened.refusals();
    }

    /** The agent's table, opened on first use (published ports forward through it too). */
    public synchronized Firewall firewall() throws IOException {
        if (firewall == null) firewall = Firewall.open(nft, table, List.of(settings.subnet()));
        return firewall;
    }

    /** The namespace of the recorded process while it lives; otherwise a path that does not exist, so DEL only releases. */
    private static Path namespaceIfAlive(Attached attached, Path dir) {
        var process = attached.process() == null ? Optional.<ProcessIdentity>empty() : ProcessIdentity.parse(attached.process());
        return process.filter(p -> p.alive(PROC)).map(ContainerNetwork::netns).orElse(dir.resolve("no-namespace"));
    }

    private static Path netns(ProcessIdentity process) {
        return PROC.resolve(Long.toString(process.pid())).resolve("ns").resolve("net");
    }

    static boolean reachesAnything(ContainerSpec.Network network) {
        return network.egress() == ContainerSpec.Egress.PUBLIC || !network.egressTo().isEmpty();
    }

    private ContainerRules rules(String name, Attached attached, ContainerSpec.Network network) {
        var addresses = attached.addresses().stream().map(a -> Cidr.parse(a.substring(0, a.indexOf('/'))))
                .map(c -> address(c.network())).toList();
        var allowed = network.egressTo().stream().map(r -> new Destination(Cidr.parse(r.cidr()), r.port())).toList();
        return new ContainerRules(name, attached.hostInterface(), addresses, network.egress() == ContainerSpec.Egress.PUBLIC,
                allowed, reachesAnything(network) ? resolvers : List.of());
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Unsynced: what it records (namespaces, interfaces, rules) ends with the machine, and the repair
     * after a reboot finds a lease by its holder; an agent's crash leaves the page cache as it was.
     */
    private static void write(Path dir, Attached attached) throws IOException {
        AtomicFile.at(dir.resolve(RECORD)).withMode("rw-------").unsynced().write(JSON.writeValueAsBytes(attached));
    }
}
