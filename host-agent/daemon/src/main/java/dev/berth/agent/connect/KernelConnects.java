package dev.berth.agent.connect;

import dev.berth.agent.firewall.ConnectForward;
import dev.berth.agent.firewall.ConnectPath;
import dev.berth.agent.firewall.ConnectsTable;
import dev.berth.agent.firewall.Conntrack;
import dev.berth.agent.protocol.ConnectTarget;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connects to replicas on this host that the kernel forwards: per consumer with an interface, its
 * namespace's table ({@link ConnectsTable}) DNATs {@code 127.0.0.1:local} to the replicas that take
 * traffic and listen on their own interface, and the host's forward chain lets exactly those paths
 * through ({@link dev.berth.agent.firewall.Firewall#connects}). Every backend keeps its turn: the rule counts all of a
 * target's backends and leaves the turns of the others to the agent's listener, which relays them
 * only ({@link #relayed}). A path stays open while its replica's process runs, so that connections
 * forwarded before a replica left the rule (a drain, a new assignment) carry on. Written only when
 * something changed; a failure is logged and tried again at the next sync, connects being relayed
 * meanwhile.
 */
final class KernelConnects {
    private static final System.Logger log = System.getLogger(KernelConnects.class.getName());

    /** A path the host lets through, and the replica it leads to. */
    private record Pathed(String producer, ConnectPath path) {
    }

    /** What a consumer's namespace holds: its process, the forwards, per target the backends they reach, the paths. */
    private record Applied(long pid, List<ConnectForward> forwards, Map<Connects.Key, Set<ConnectTarget.Backend>> kernel,
                           Set<Pathed> paths) {
    }

    private record Wanted(List<ConnectForward> forwards, Map<Connects.Key, Set<ConnectTarget.Backend>> kernel, Set<Pathed> paths) {
    }

    private final LocalReplicas local;
    private final Connects.HostTable host;
    private final Map<String, Applied> applied = new ConcurrentHashMap<>();
    /**
     * What the host's sets hold, as last written; null: not known (a failed write). The firewall
     * empties them when the agent opens it, so nothing is written (nor the table made) until a path is needed.
     */
    private Set<ConnectPath> hostPaths = Set.of();

    KernelConnects(LocalReplicas local, Connects.HostTable host) {
        this.local = Objects.requireNonNull(local, "local");
        this.host = Objects.requireNonNull(host, "host");
    }

    /** Brings every consumer's table and the host's paths to what {@code targets} and the replicas serving now say. */
    synchronized void sync(List<Connects.Consumer> consumers, Map<Connects.Key, List<ConnectTarget.Backend>> targets, String hostId) {
        var wanted = new HashMap<Connects.Consumer, Wanted>();
        for (var c : consumers) if (c.own() != null && !c.connects().isEmpty()) wanted.put(c, want(c, targets, hostId));
        applied.keySet().retainAll(wanted.keySet().stream().map(Connects.Consumer::container).toList());
        // The paths first: a consumer's first packets to a new replica must find them open.
        var opening = new LinkedHashSet<ConnectPath>();
        wanted.values().forEach(w -> w.paths().forEach(p -> opening.add(p.path())));
        applied.values().forEach(a -> a.paths().forEach(p -> opening.add(p.path())));
        if (hostPaths != null) opening.addAll(hostPaths);
        writeHost(opening);
        wanted.forEach(this::writeConsumer);
        var open = new LinkedHashSet<ConnectPath>();
        applied.values().forEach(a -> a.paths().forEach(p -> open.add(p.path())));
        writeHost(open);
    }

    private Wanted want(Connects.Consumer c, Map<Connects.Key, List<ConnectTarget.Backend>> targets, String hostId) {
        var forwards = new ArrayList<ConnectForward>();
        var kernel = new HashMap<Connects.Key, Set<ConnectTarget.Backend>>();
        var paths = new LinkedHashSet<Pathed>();
        for (var connect : c.connects()) {
            var key = new Connects.Key(connect.app(), connect.port());
            var backends = targets.getOrDefault(key, List.of());
            var addresses = new ArrayList<InetSocketAddress>();
            var reached = new HashSet<ConnectTarget.Backend>();
            for (var b : backends) {
                if (hostId == null || !b.hostId().equals(hostId) || reached.contains(b)) continue;
                var address = local.forwardable(b.container(), b.containerPort()).orElse(null);
                if (address == null || !(address.getAddress() instanceof Inet4Address producer)) continue;
                addresses.add(address);
                reached.add(b);
                paths.add(new Pathed(b.container(), new ConnectPath(c.own().hostInterface(), c.own().address(), producer, address.getPort())));
            }
            if (addresses.isEmpty()) continue;
            forwards.add(new ConnectForward(connect.local(), backends.size(), addresses));
            kernel.put(key, Set.copyOf(reached));
        }
        // Paths of this run stay open while their replica runs at that address: its connections carry on.
        var before = applied.get(c.container());
        if (before != null && before.pid() == c.pid()) {
            for (var p : before.paths()) if (local.address(p.producer()).filter(p.path().producer()::equals).isPresent()) paths.add(p);
        }
        return new Wanted(List.copyOf(forwards), Map.copyOf(kernel), Set.copyOf(paths));
    }

    private void writeConsumer(Connects.Consumer c, Wanted w) {
        var before = applied.get(c.container());
        boolean sameRun = before != null && before.pid() == c.pid();
        if (sameRun && before.forwards().equals(w.forwards())) {
            applied.put(c.container(), new Applied(c.pid(), before.forwards(), before.kernel(), w.paths()));
            return;
        }
        try {
            Path netns = Path.of("/proc", Long.toString(c.pid()), "ns", "net");
            // A run with nothing forwarded yet has no table to keep: only one a previous agent left goes.
            if (!sameRun && w.forwards().isEmpty()) ConnectsTable.remove(netns);
            else ConnectsTable.write(netns, c.own().containerInterface(), w.forwards());
            applied.put(c.container(), new Applied(c.pid(), w.forwards(), w.kernel(), w.paths()));
            if (!w.forwards().isEmpty() || (sameRun && !before.forwards().isEmpty())) {
                log.log(System.Logger.Level.INFO, "connects of " + c.container() + (w.forwards().isEmpty() ? ": relayed"
                        : ": forwarded by the kernel to " + w.forwards()));
            }
        } catch (IOException | RuntimeException e) {
            log.log(System.Logger.Level.WARNING, "could not forward the connects of " + c.container() + " in the kernel: "
                    + e.getMessage() + "; trying again");
            // The transaction failed whole: the namespace holds what it held (a new one nothing).
            applied.put(c.container(), sameRun ? new Applied(c.pid(), before.forwards(), before.kernel(), w.paths())
                    : new Applied(c.pid(), List.of(), Map.of(), Set.of()));
        }
    }

    private void writeHost(Set<ConnectPath> paths) {
        if (paths.equals(hostPaths)) return;
        try {
            host.firewall().connects(paths);
            hostPaths = Set.copyOf(paths);
        } catch (IOException | RuntimeException e) {
            hostPaths = null;
            log.log(System.Logger.Level.WARNING, "could not open the paths of connects in the host's table: " + e.getMessage());
        }
    }

    /**
     * The backends of {@code consumer}'s target that its listener relays: those the kernel does
     * not forward; all of them when it forwards none, or every one (a turn left over while the
     * table changed).
     */
    List<ConnectTarget.Backend> relayed(String consumer, Connects.Key key, List<ConnectTarget.Backend> backends) {
        var a = applied.get(consumer);
        var kernel = a == null ? null : a.kernel().get(key);
        if (kernel == null) return backends;
        var rest = backends.stream().filter(b -> !kernel.contains(b)).toList();
        return rest.isEmpty() ? backends : rest;
    }

    /** Connections the kernel forwarded to {@code producer} that are still open, as the host's connection tracking counts them. */
    int active(String producer) {
        var targets = new HashSet<InetSocketAddress>();
        for (var a : applied.values()) {
            for (var p : a.paths()) {
                if (p.producer().equals(producer)) targets.add(new InetSocketAddress(p.path().producer(), p.path().port()));
            }
        }
        return targets.stream().mapToInt(Conntrack::addressedTo).sum();
    }

    /** What {@code consumer}'s namespace forwards now, for tests and logs. */
    List<ConnectForward> forwards(String consumer) {
        var a = applied.get(consumer);
        return a == null ? List.of() : a.forwards();
    }
}
