package dev.berth.agent.daemon;

import dev.berth.agent.connect.Connects;
import dev.berth.agent.connect.LocalReplicas;
import dev.berth.agent.containernet.ContainerNetwork;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The held containers as {@link Connects} sees them: platform containers that run now with their
 * spec's connects (the consumers, with their own interface when they have one), which of them take
 * traffic (the local backends), and where the kernel can forward to them.
 */
final class ConnectedContainers implements LocalReplicas {
    private final HeldContainers containers;
    private final ContainerNetwork network;
    /** Per container, its interface in the run it had when last asked. */
    private final Map<String, Known> interfaces = new ConcurrentHashMap<>();
    /** What an app listens on, per run and port, once known ({@link InterfaceProbe}). */
    private final Map<Probe, InterfaceProbe.Listening> listening = new ConcurrentHashMap<>();

    private record Known(long pid, Connects.Own own) {
    }

    private record Probe(String container, long pid, int port) {
    }

    /** @param network where containers' interfaces are recorded; null: none has one, every connect is relayed */
    ConnectedContainers(HeldContainers containers, ContainerNetwork network) {
        this.containers = containers;
        this.network = network;
    }

    /** Every platform container whose process runs now and whose spec connects to another app. */
    List<Connects.Consumer> consumers() {
        var out = new ArrayList<Connects.Consumer>();
        for (ManagedContainer m : containers.sorted()) {
            if (m.owner != AssignmentPlan.Owner.PLATFORM || m.spec.network() == null || m.spec.network().connects().isEmpty()) continue;
            pid(m).ifPresent(pid -> out.add(new Connects.Consumer(m.name(), m.spec.app(), pid, m.spec.network().connects(),
                    own(m, pid))));
        }
        // What earlier runs and removed containers left.
        interfaces.entrySet().removeIf(e -> !current(e.getKey(), e.getValue().pid()));
        listening.keySet().removeIf(p -> !current(p.container(), p.pid()));
        return out;
    }

    private boolean current(String container, long pid) {
        return held(container).flatMap(ConnectedContainers::livePid).filter(p -> p == pid).isPresent();
    }

    private Optional<ManagedContainer> held(String container) {
        try {
            return Optional.of(containers.get(container));
        } catch (IOException none) {
            return Optional.empty();
        }
    }

    @Override
    public OptionalLong servingPid(String container) {
        return serving(container).flatMap(ConnectedContainers::pid).map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    @Override
    public Optional<InetSocketAddress> forwardable(String container, int port) {
        var m = serving(container).orElse(null);
        var pid = m == null ? Optional.<Long>empty() : pid(m);
        if (pid.isEmpty()) return Optional.empty();
        var own = own(m, pid.get());
        var dialer = m.dialer;
        if (own == null || dialer == null) return Optional.empty();
        var key = new Probe(container, pid.get(), port);
        var answer = listening.get(key);
        if (answer == null) {
            answer = InterfaceProbe.ask(dialer, own.address(), List.of(port));
            if (answer != InterfaceProbe.Listening.NOT_YET) listening.put(key, answer);
        }
        return answer == InterfaceProbe.Listening.INTERFACE ? Optional.of(new InetSocketAddress(own.address(), port)) : Optional.empty();
    }

    @Override
    public Optional<InetAddress> address(String container) {
        return held(container).flatMap(m -> livePid(m).map(pid -> own(m, pid)).map(Connects.Own::address));
    }

    /** The app of {@code container} while it takes traffic (see {@link #servingPid}); empty otherwise. */
    Optional<String> servingApp(String container) {
        return serving(container).filter(m -> pid(m).isPresent()).map(m -> m.spec.app());
    }

    /** A platform container let into traffic, healthy if it has a check, not stopping. */
    private Optional<ManagedContainer> serving(String container) {
        var held = held(container);
        if (held.isEmpty()) return Optional.empty();
        ManagedContainer m = held.get();
        boolean healthy = m.spec.health() == null || m.health.status() == HealthTracker.Status.HEALTHY;
        if (m.owner != AssignmentPlan.Owner.PLATFORM || !m.admitted || m.stopping || !healthy) return Optional.empty();
        return Optional.of(m);
    }

    /** The container's own IPv4 interface in the run of {@code pid}; null when it has none. */
    private Connects.Own own(ManagedContainer m, long pid) {
        if (network == null || m.spec.network() == null) return null;
        var known = interfaces.get(m.name());
        if (known != null && known.pid() == pid) return known.own();
        Connects.Own own = null;
        try {
            var attached = network.attached(m.dir.path()).orElse(null);
            if (attached != null && attached.hostInterface() != null && !attached.addresses().isEmpty()) {
                String address = attached.addresses().getFirst();
                if (InetAddress.ofLiteral(address.substring(0, address.indexOf('/'))) instanceof Inet4Address v4) {
                    own = new Connects.Own(v4, attached.hostInterface(), ContainerNetwork.INTERFACE);
                }
            }
        } catch (IOException | RuntimeException e) {
            return null; // not attached yet, or gone: asked again at the next sync
        }
        if (own != null) interfaces.put(m.name(), new Known(pid, own)); // none yet: asked again next time
        return own;
    }

    /** The process of its current run while it runs and is not stopping. */
    private static Optional<Long> pid(ManagedContainer m) {
        return m.stopping ? Optional.empty() : livePid(m);
    }

    /** The process of its current run while it runs, stopping or not. */
    private static Optional<Long> livePid(ManagedContainer m) {
        var process = m.process;
        if (process == null) return Optional.empty();
        try {
            return process.exitStatus().isPresent() ? Optional.empty() : process.livePid();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
