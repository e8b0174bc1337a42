package dev.berth.agent.daemon;

import dev.berth.agent.firewall.Conntrack;
import dev.berth.agent.firewall.Firewall;
import dev.berth.agent.firewall.PortForward;
import dev.berth.agent.firewall.RouteLocalnet;
import dev.berth.agent.net.BackendPool;
import dev.berth.agent.net.NamespaceDialer;
import dev.berth.agent.net.PortListener;
import dev.berth.agent.protocol.PublishedPort;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * The agent's published ports: one listener per host address and port, shared by the containers
 * of one app that publish it, which take new connections in turn while they serve. A container
 * serves while it is ready (running, healthy if checked) and admitted (the platform lets it take
 * traffic); {@link #admit} changes who is admitted on each listener in one step. A listener
 * opens with its first container and closes with its last. Two apps on one address and port is
 * an error; so is a port some other program holds.
 *
 * <p>A listener relays each connection into its container's namespace ({@link PortListener}).
 * When containers have an interface of their own (a network), the kernel forwards the port
 * instead: a DNAT rule in the agent's table ({@link Firewall#forward}) sends new connections in
 * turn to the serving containers' addresses, and the bytes never pass the agent. That takes
 * IPv4 connections to an IPv4 or wildcard listen address while every serving container of the
 * port has an address and its app was found listening there ({@link InterfaceProbe}); the
 * listener stays bound (the port stays the agent's) and relays what the rule leaves it: IPv6
 * clients, containers without a network or whose app listens on 127.0.0.1 alone, and connections
 * while nothing serves.
 */
final class PublishedPorts implements AutoCloseable {
    private static final System.Logger log = System.getLogger(PublishedPorts.class.getName());

    /** The agent's table, opened on first use. */
    @FunctionalInterface
    interface Kernel {
        Firewall firewall() throws IOException;
    }

    /** A container's own interface: its address and the host side of its veth. */
    record Interface(InetAddress address, String hostInterface) {
    }

    /** A host address and port the agent listens on. */
    record Binding(String address, int port) {
        @Override
        public String toString() {
            return hostPort(address, port);
        }
    }

    /** One published port of a container: where it listens and the port inside the container. */
    record Publish(Binding binding, int containerPort) {
    }

    private record Shared(String app, PortListener listener) {
    }

    private final String publishAddress;
    private final String advertiseAddress;
    private final Map<Binding, Shared> listeners = new HashMap<>();
    private final Map<String, List<Publish>> byContainer = new HashMap<>();
    private final Kernel kernel;
    /** Containers with an interface of their own, which the kernel can forward to. */
    private final Map<String, Interface> interfaces = new HashMap<>();
    /** What the table forwards, per listener, as last written. */
    private final Map<Binding, PortForward> forwarded = new HashMap<>();
    /** Per container with an interface, the dialer of its current run and what its app listens on (absent: not known yet). */
    private final Map<String, NamespaceDialer> dialers = new HashMap<>();
    private final Map<String, InterfaceProbe.Listening> listening = new HashMap<>();

    /** Ports that are only ever relayed. */
    PublishedPorts(String publishAddress, String advertiseAddress) {
        this(publishAddress, advertiseAddress, null);
    }

    /**
     * @param publishAddress the agent's default listen address
     * @param advertiseAddress what statuses name for ports on the default or a wildcard address
     * @param kernel the table that forwards ports to containers with a network; null: relay only
     */
    PublishedPorts(String publishAddress, String advertiseAddress, Kernel kernel) {
        this.publishAddress = publishAddress;
        this.advertiseAddress = advertiseAddress;
        this.kernel = kernel;
    }

    /**
     * Puts the container behind each of its ports, not serving yet, opening listeners that do not
     * exist; {@code admitted} says whether it may take traffic once ready. All or nothing: on an
     * error nothing stays reserved.
     */
    synchronized void reserve(String container, String app, List<Publish> ports, boolean admitted) throws IOException {
        if (byContainer.containsKey(container)) throw new IllegalStateException("ports of '" + container + "' are reserved already");
        var seen = new HashSet<Binding>();
        for (Publish p : ports) {
            if (!seen.add(p.binding())) throw new IOException("container '" + container + "' publishes " + p.binding() + " twice");
            Shared shared = listeners.get(p.binding());
            if (shared != null && !shared.app().equals(app)) {
                throw new IOException(p.binding() + " is published by app '" + shared.app() + "'; app '" + app
                        + "' cannot share it (one address and port serve one app)");
            }
        }
        var done = new ArrayList<Publish>();
        try {
            for (Publish p : ports) {
                Shared shared = listeners.get(p.binding());
                if (shared == null) {
                    var listener = new PortListener(new InetSocketAddress(p.binding().address(), p.binding().port()),
                            new BackendPool<>());
                    shared = new Shared(app, listener);
                    listeners.put(p.binding(), shared);
                }
                shared.listener().pool().add(container, null, admitted);
                done.add(p);
            }
        } catch (IOException | RuntimeException e) {
            leave(container, done);
            throw e;
        }
        byContainer.put(container, List.copyOf(ports));
    }

    /**
     * Points the container's backends at its (new) network namespace and, when it has an
     * interface of its own (null: loopback only), lets the kernel forward its ports there.
     */
    synchronized void connect(String container, NamespaceDialer dialer, Interface own) {
        var ports = byContainer.getOrDefault(container, List.of());
        for (Publish p : ports) pool(p).target(container, new PortListener.Target(dialer, p.containerPort()));
        interfaces.remove(container);
        listening.remove(container);
        dialers.put(container, dialer);
        if (own != null && kernel != null && own.address() instanceof Inet4Address) {
            try {
                if (ports.stream().anyMatch(p -> loopbackReached(p.binding()))) RouteLocalnet.enable(own.hostInterface());
                interfaces.put(container, own);
            } catch (IOException | RuntimeException e) {
                log.log(System.Logger.Level.WARNING, "the ports of " + container + " are relayed: " + e.getMessage());
            }
        }
        sync(ports);
        probe(container, false);
    }

    /** Whether the container may take new connections: running, and healthy if it has a health check. */
    synchronized void ready(String container, boolean ready) {
        var ports = byContainer.getOrDefault(container, List.of());
        for (Publish p : ports) pool(p).ready(container, ready);
        sync(ports);
        if (ready) probe(container, true); // ready between two of the probe's questions: ask now, not relay until the next
    }

    /** Whether the kernel forwards the container's ports (its app listens on its interface), for tests and logs. */
    synchronized boolean forwarding(String container) {
        return interfaces.containsKey(container) && listening.get(container) == InterfaceProbe.Listening.INTERFACE;
    }

    /**
     * Finds out, on a thread of its own, whether the app of a ready container with an interface
     * listens there: until it does, and for good when it listens on 127.0.0.1 alone, its ports are
     * relayed. Asks again every second while nothing listens (every ten after half a minute),
     * until the container runs again or leaves; {@code once}: one more question while that goes on.
     */
    private void probe(String container, boolean once) {
        Interface own = interfaces.get(container);
        NamespaceDialer dialer = dialers.get(container);
        var ports = byContainer.getOrDefault(container, List.of());
        if (own == null || dialer == null || ports.isEmpty()) return;
        if (once ? listening.get(container) != InterfaceProbe.Listening.NOT_YET : listening.containsKey(container)) return;
        listening.put(container, InterfaceProbe.Listening.NOT_YET);
        InterfaceProbe.askUntilKnown(container, dialer, own.address(), ports.stream().map(Publish::containerPort).distinct().toList(),
                answer -> probed(container, dialer, answer) && !once);
    }

    /** Records a probe's answer; whether to ask again (nothing listens yet and the container is still this run). */
    private synchronized boolean probed(String container, NamespaceDialer dialer, InterfaceProbe.Listening answer) {
        if (dialers.get(container) != dialer || !interfaces.containsKey(container)) return false;
        if (answer == InterfaceProbe.Listening.NOT_YET) return true;
        listening.put(container, answer);
        if (answer == InterfaceProbe.Listening.LOOPBACK_ONLY) {
            log.log(System.Logger.Level.INFO, "the app of " + container + " listens on 127.0.0.1 only: its published ports are relayed"
                    + " (listen on 0.0.0.0 to have the kernel forward them)");
        }
        sync(byContainer.getOrDefault(container, List.of()));
        return false;
    }

    /**
     * Lets containers into traffic or keeps them out: on each listener, all of its containers the
     * map names change in one step, so new connections go only to the new set from that instant
     * while open ones carry on. Containers without published ports are ignored.
     */
    synchronized void admit(Map<String, Boolean> admitted) {
        var byListener = new HashMap<Binding, Map<String, Boolean>>();
        admitted.forEach((container, admit) -> {
            for (Publish p : byContainer.getOrDefault(container, List.of())) {
                byListener.computeIfAbsent(p.binding(), b -> new HashMap<>()).put(container, admit);
            }
        });
        byListener.forEach((binding, change) -> listeners.get(binding).listener().pool().admit(change));
        syncBindings(byListener.keySet()); // one nft transaction for every port that changed
    }

    /** No new connections for the container from now on; open ones carry on. */
    synchronized void drain(String container) {
        var ports = byContainer.getOrDefault(container, List.of());
        for (Publish p : ports) pool(p).drain(container);
        sync(ports);
    }

    /** Connections open to the container through any of its ports: relayed, or forwarded by the kernel. */
    synchronized int active(String container) {
        int n = 0;
        Interface own = interfaces.get(container);
        for (Publish p : byContainer.getOrDefault(container, List.of())) {
            n += pool(p).active(container);
            if (own != null) n += Conntrack.forwardedTo(new InetSocketAddress(own.address(), p.containerPort()));
        }
        return n;
    }

    /** Takes the container from behind its ports; a listener left without containers closes. */
    synchronized void release(String container) {
        var ports = byContainer.remove(container);
        if (ports != null) leave(container, ports);
        interfaces.remove(container);
        dialers.remove(container);
        listening.remove(container);
        if (ports != null) sync(ports);
    }

    private void sync(List<Publish> ports) {
        syncBindings(ports.stream().map(Publish::binding).toList());
    }

    /** Brings the kernel's forwards of these listeners to who serves now, in one transaction; on failure they stay relayed or as they were. */
    private void syncBindings(Collection<Binding> bindings) {
        if (kernel == null) return;
        var changes = new HashMap<Binding, PortForward>();
        for (Binding b : bindings) {
            PortForward want = forwardOf(b);
            if (want == null) continue;
            PortForward had = forwarded.getOrDefault(b, PortForward.none(want.address(), want.port()));
            // A member matters to the filter once connections were forwarded to it: one that has not
            // served yet joins with its first turn, so a container's start costs no nft run.
            want = new PortForward(want.address(), want.port(), want.serving(),
                    had.members().stream().filter(want.members()::contains).toList());
            if (!want.equals(had)) changes.put(b, want);
        }
        if (changes.isEmpty()) return;
        try {
            kernel.firewall().forward(List.copyOf(changes.values()));
            changes.forEach((b, f) -> {
                PortForward had = f.members().isEmpty() ? forwarded.remove(b) : forwarded.put(b, f);
                if (had == null || !had.serving().equals(f.serving())) {
                    log.log(System.Logger.Level.INFO, b + (f.serving().isEmpty() ? ": relayed" : ": forwarded by the kernel to " + f.serving()));
                }
            });
        } catch (IOException | RuntimeException e) {
            log.log(System.Logger.Level.WARNING, "could not forward " + changes.keySet() + " in the kernel: " + e.getMessage());
        }
    }

    /**
     * What the kernel should forward for a listener: its serving containers with an interface,
     * newest first; nothing while one serving container has none (it is relayed, and the
     * others with it, so that all take connections in turn). Null for a listen address it cannot
     * forward (IPv6, a name).
     */
    private PortForward forwardOf(Binding b) {
        Inet4Address address;
        if (wildcard(b.address())) address = null;
        else if (ipv4Literal(b.address()) instanceof Inet4Address a) address = a;
        else return null;
        Shared shared = listeners.get(b);
        if (shared == null) return PortForward.none(address, b.port());
        var pool = shared.listener().pool();
        var serving = new ArrayList<InetSocketAddress>();
        var members = new ArrayList<InetSocketAddress>();
        boolean relayed = false;
        // Newest first: the rule's turn counter starts again at each change, so a replica that just
        // joined takes the next connection (a rolling update's new replica, not the one leaving).
        for (String c : pool.containers().reversed()) {
            Interface own = interfaces.get(c);
            boolean serves = pool.serving(c);
            if (own == null) {
                relayed |= serves;
                continue;
            }
            relayed |= serves && listening.get(c) != InterfaceProbe.Listening.INTERFACE;
            for (Publish p : byContainer.getOrDefault(c, List.of())) {
                if (!p.binding().equals(b)) continue;
                var backend = new InetSocketAddress(own.address(), p.containerPort());
                members.add(backend);
                if (serves) serving.add(backend);
            }
        }
        return new PortForward(address, b.port(), relayed ? List.of() : serving, members);
    }

    /** Whether the host's own loopback connections reach this listener (and must leave through a container's interface). */
    private static boolean loopbackReached(Binding b) {
        return wildcard(b.address()) || (ipv4Literal(b.address()) instanceof Inet4Address a && a.isLoopbackAddress());
    }

    private static InetAddress ipv4Literal(String address) {
        try {
            return address.matches("[0-9.]+") ? InetAddress.ofLiteral(address) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Where each port of the container is served, as clients reach it, and whether it takes connections now. */
    synchronized List<PublishedPort> published(String container) {
        var out = new ArrayList<PublishedPort>();
        for (Publish p : byContainer.getOrDefault(container, List.of())) {
            out.add(new PublishedPort(p.containerPort(), advertised(p.binding()), pool(p).serving(container)));
        }
        return out;
    }

    /** The address of a listener, for tests and logs; empty when it is not open. */
    synchronized java.util.Optional<InetSocketAddress> listening(Binding binding) throws IOException {
        Shared shared = listeners.get(binding);
        return shared == null ? java.util.Optional.empty() : java.util.Optional.of(shared.listener().address());
    }

    /** Connections the listener accepted and relayed (or refused): those the kernel forwarded are not among them. */
    synchronized long relayed(Binding binding) {
        Shared shared = listeners.get(binding);
        return shared == null ? 0 : shared.listener().accepted();
    }

    private String advertised(Binding b) {
        boolean general = b.address().equals(publishAddress) || wildcard(b.address());
        return hostPort(general ? advertiseAddress : b.address(), b.port());
    }

    static boolean wildcard(String address) {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]");
    }

    static String hostPort(String host, int port) {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    private BackendPool<PortListener.Target> pool(Publish p) {
        return listeners.get(p.binding()).listener().pool();
    }

    private void leave(String container, List<Publish> ports) {
        for (Publish p : ports) {
            Shared shared = listeners.get(p.binding());
            if (shared == null) continue;
            shared.listener().pool().remove(container);
            if (shared.listener().pool().isEmpty()) {
                listeners.remove(p.binding());
                closeQuietly(shared.listener());
            }
        }
    }

    private static void closeQuietly(PortListener listener) {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Closes every listener; the containers behind them keep running. */
    @Override
    public synchronized void close() {
        var bindings = List.copyOf(listeners.keySet());
        listeners.values().forEach(s -> closeQuietly(s.listener()));
        listeners.clear();
        syncBindings(bindings); // nothing listens: the kernel stops forwarding too
        byContainer.clear();
        interfaces.clear();
        dialers.clear();
        listening.clear();
    }
}
