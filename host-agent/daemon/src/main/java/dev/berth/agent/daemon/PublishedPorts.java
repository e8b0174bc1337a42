package dev.berth.agent.daemon;

import dev.berth.agent.net.BackendPool;
import dev.berth.agent.net.NamespaceDialer;
import dev.berth.agent.net.PortListener;
import dev.berth.agent.protocol.PublishedPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
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
 */
final class PublishedPorts implements AutoCloseable {

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

    /**
     * @param publishAddress the agent's default listen address
     * @param advertiseAddress what statuses name for ports on the default or a wildcard address
     */
    PublishedPorts(String publishAddress, String advertiseAddress) {
        this.publishAddress = publishAddress;
        this.advertiseAddress = advertiseAddress;
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

    /** Points the container's backends at its (new) network namespace. */
    synchronized void connect(String container, NamespaceDialer dialer) {
        for (Publish p : byContainer.getOrDefault(container, List.of())) {
            pool(p).target(container, new PortListener.Target(dialer, p.containerPort()));
        }
    }

    /** Whether the container may take new connections: running, and healthy if it has a health check. */
    synchronized void ready(String container, boolean ready) {
        for (Publish p : byContainer.getOrDefault(container, List.of())) pool(p).ready(container, ready);
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
    }

    /** No new connections for the container from now on; open ones carry on. */
    synchronized void drain(String container) {
        for (Publish p : byContainer.getOrDefault(container, List.of())) pool(p).drain(container);
    }

    /** Connections open to the container through any of its ports. */
    synchronized int active(String container) {
        int n = 0;
        for (Publish p : byContainer.getOrDefault(container, List.of())) n += pool(p).active(container);
        return n;
    }

    /** Takes the container from behind its ports; a listener left without containers closes. */
    synchronized void release(String container) {
        var ports = byContainer.remove(container);
        if (ports != null) leave(container, ports);
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
        listeners.values().forEach(s -> closeQuietly(s.listener()));
        listeners.clear();
        byContainer.clear();
    }
}
