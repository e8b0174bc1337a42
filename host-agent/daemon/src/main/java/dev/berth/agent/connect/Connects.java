package dev.berth.agent.connect;

import dev.berth.agent.net.Relay;
import dev.berth.agent.protocol.Assignment;
import dev.berth.agent.protocol.ConnectTarget;
import dev.berth.agent.protocol.ContainerSpec;
import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * App-to-app connects on this host ({@code connects} in berth.yaml): for every running platform
 * container whose spec connects to another app, a listener on {@code 127.0.0.1:local} inside the
 * container, relaying to the replicas the latest assignment lists for that app and port. A replica
 * on this host is dialled in its own namespace when it takes traffic here; one on another host
 * through {@link RemoteReplicas}, the agents' peer link.
 *
 * <p>Level-triggered: {@link #sync} compares the running containers with the listeners held, soon
 * after a change and every second. A container that runs again (a new process, so a new
 * namespace) gets new listeners; one that no longer runs loses its own. Assignments change only
 * where new connections go.
 */
public final class Connects implements AutoCloseable {
    private static final System.Logger log = System.getLogger(Connects.class.getName());
    /** How long reaching one backend may take before the next is tried. */
    public static final Duration DIAL_TIMEOUT = Duration.ofSeconds(3);
    private static final long SYNC_EVERY_MILLIS = 1000;

    /**
     * A platform container running now, as connects need it.
     *
     * @param app the container's app as the agent names it (the consumer, for the peer link)
     * @param pid its process, whose network namespace the listeners live in
     */
    public record Consumer(String container, String app, long pid, List<ContainerSpec.Connect> connects, Own own) {
        public Consumer {
            connects = List.copyOf(connects);
        }

        /** A container without an interface of its own: its connects are relayed. */
        public Consumer(String container, String app, long pid, List<ContainerSpec.Connect> connects) {
            this(container, app, pid, connects, null);
        }
    }

    /**
     * A consumer's own interface, which the kernel forwards its connects through.
     *
     * @param hostInterface the host side of its veth
     * @param containerInterface the same veth's side inside its namespace
     */
    public record Own(java.net.Inet4Address address, String hostInterface, String containerInterface) {
    }

    /** The host's table, opened on first use. */
    @FunctionalInterface
    public interface HostTable {
        dev.berth.agent.firewall.Firewall firewall() throws IOException;
    }

    /** A target: an app and the name of its port. */
    record Key(String app, String port) {
    }

    private record Held(long pid, List<ConnectListener> listeners) {
    }

    private final LocalReplicas local;
    private final Supplier<List<Consumer>> running;
    private final Duration dialTimeout;
    private final LocalDialers dialers = new LocalDialers();
    private final Relay relay = Relay.splicing();
    private final Map<String, Held> held = new HashMap<>();
    /** The process whose listeners could not be opened, per container: logged once, retried every sync. */
    private final Map<String, Long> failed = new HashMap<>();
    private final Semaphore soon = new Semaphore(0);
    /** Forwards connects to replicas on this host in the kernel; null: every connect is relayed. */
    private final KernelConnects kernel;
    private volatile RemoteReplicas remote;
    private volatile String hostId;
    private volatile Map<Key, List<ConnectTarget.Backend>> targets = Map.of();
    private volatile boolean closed;
    private Thread loop;

    /**
     * @param running the platform containers running now, each with its spec's connects
     * @param dialTimeout how long one backend may take to answer
     */
    public Connects(LocalReplicas local, RemoteReplicas remote, Supplier<List<Consumer>> running, Duration dialTimeout) {
        this(local, remote, running, dialTimeout, null);
    }

    /**
     * @param host the host's table, which lets the paths of connects the kernel forwards through
     *             (see {@link KernelConnects}); null: every connect is relayed
     */
    public Connects(LocalReplicas local, RemoteReplicas remote, Supplier<List<Consumer>> running, Duration dialTimeout,
                    HostTable host) {
        this.local = Objects.requireNonNull(local, "local");
        this.kernel = host == null ? null : new KernelConnects(local, host);
        this.remote = Objects.requireNonNull(remote, "remote");
        this.running = Objects.requireNonNull(running, "running");
        this.dialTimeout = dialTimeout;
    }

    /** Starts keeping listeners in step with the running containers, in the background. */
    public synchronized void start() {
        if (loop != null) return;
        loop = Thread.ofVirtual().name("connects").start(() -> {
            while (!closed) {
                try {
                    sync();
                    if (soon.tryAcquire(SYNC_EVERY_MILLIS, TimeUnit.MILLISECONDS)) soon.drainPermits();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log.log(System.Logger.Level.WARNING, "keeping connects in step failed: " + e);
                }
            }
        });
    }

    /** The peer link that reaches replicas on other hosts. */
    public void remote(RemoteReplicas replicas) {
        this.remote = Objects.requireNonNull(replicas, "replicas");
    }

    /** Takes where each connected app's port is served from the assignment; new connections go there from now on. */
    public void assigned(Assignment assignment) {
        var next = new HashMap<Key, List<ConnectTarget.Backend>>();
        var localBackends = new HashSet<String>();
        for (var t : assignment.connects()) {
            next.putIfAbsent(new Key(t.app(), t.port()), t.backends());
            t.backends().stream().filter(b -> b.hostId().equals(assignment.hostId())).forEach(b -> localBackends.add(b.container()));
        }
        // Replicas that peers may reach through this host's peer listener are dialled here too.
        assignment.grants().forEach(g -> localBackends.addAll(g.containerPorts().keySet()));
        hostId = assignment.hostId();
        targets = Map.copyOf(next);
        dialers.retain(localBackends);
        wake();
    }

    /** Something changed (a container started, ended or was removed): look soon. */
    public void wake() {
        if (soon.availablePermits() == 0) soon.release();
    }

    /** Opens listeners for containers that run without theirs, closes those of containers that no longer run. */
    public synchronized void sync() {
        if (closed) return;
        var seen = new HashSet<String>();
        var consumers = running.get();
        for (var c : consumers) {
            if (c.connects().isEmpty()) continue;
            seen.add(c.container());
            var h = held.get(c.container());
            if (h != null && h.pid() == c.pid()) continue;
            if (h != null) closeAll(held.remove(c.container()).listeners());
            try {
                held.put(c.container(), new Held(c.pid(), open(c)));
                if (failed.remove(c.container()) != null) log.log(System.Logger.Level.INFO, "connects of " + c.container() + " listen now");
            } catch (IOException | RuntimeException e) {
                Long before = failed.put(c.container(), c.pid());
                if (before == null || before != c.pid()) {
                    log.log(System.Logger.Level.WARNING, "connects of " + c.container() + ": " + e.getMessage() + "; trying again");
                }
            }
        }
        held.keySet().removeIf(name -> {
            if (seen.contains(name)) return false;
            closeAll(held.get(name).listeners());
            return true;
        });
        failed.keySet().retainAll(seen);
        if (kernel != null) kernel.sync(consumers, targets, hostId);
    }

    /**
     * A replica of this host stops taking traffic (it is stopping already, see {@link
     * LocalReplicas#servingPid}): no consumer's kernel rule sends it a new connection once this returns.
     */
    public void drain(String container) {
        sync();
    }

    /** Connections the kernel forwarded to {@code container} that are still open (relayed ones are not counted here). */
    public int active(String container) {
        return kernel == null ? 0 : kernel.active(container);
    }

    /** What the kernel forwards of {@code consumer}'s connects now, for tests and logs. */
    public List<dev.berth.agent.firewall.ConnectForward> forwarded(String consumer) {
        return kernel == null ? List.of() : kernel.forwards(consumer);
    }

    /** The containers that have listeners now, for tests and logs. */
    public synchronized Set<String> listening() {
        return Set.copyOf(held.keySet());
    }

    private List<ConnectListener> open(Consumer c) throws IOException {
        Path netns = Path.of("/proc", Long.toString(c.pid()), "ns", "net");
        var out = new ArrayList<ConnectListener>();
        try {
            for (var connect : c.connects()) {
                String name = c.container() + ":" + connect.local();
                ServerSocketChannel server = NamespaceSockets.listen(netns, connect.local(), name);
                var key = new Key(connect.app(), connect.port());
                out.add(new ConnectListener(name, server, () -> relayed(c.container(), key),
                        backend -> dial(backend, connect.port(), c.app()), relay));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            closeAll(out);
            throw e;
        }
    }

    /** The backends a listener relays to: the target's, less those the kernel forwards. */
    private List<ConnectTarget.Backend> relayed(String consumer, Key key) {
        var all = targets.getOrDefault(key, List.of());
        return kernel == null ? all : kernel.relayed(consumer, key, all);
    }

    /** A connection to the backend: in its namespace when it runs here, through the peer link when elsewhere. */
    private ByteChannel dial(ConnectTarget.Backend backend, String port, String consumerApp) throws IOException {
        if (backend.hostId().equals(hostId)) return dialServing(backend.container(), backend.containerPort());
        return remote.open(backend, port, consumerApp, dialTimeout);
    }

    /**
     * A connection to {@code 127.0.0.1:port} inside {@code container}, a replica on this host, made
     * only while it takes traffic (admitted, running, healthy if checked, not stopping): for local
     * backends and for the peer listener's admitted requests.
     */
    public SocketChannel dialServing(String container, int port) throws IOException {
        var pid = local.servingPid(container);
        if (pid.isEmpty()) throw new IOException(container + " does not take traffic on this host");
        return dialers.dial(container, pid.getAsLong(), port, dialTimeout);
    }

    private static void closeAll(List<ConnectListener> listeners) {
        listeners.forEach(ConnectListener::close);
    }

    /** Closes every listener (cutting what they relay) and dialer; the containers keep running. */
    @Override
    public void close() {
        closed = true;
        Thread t;
        synchronized (this) {
            t = loop;
            held.values().forEach(h -> closeAll(h.listeners()));
            held.clear();
        }
        if (t != null) t.interrupt();
        dialers.close();
    }
}
