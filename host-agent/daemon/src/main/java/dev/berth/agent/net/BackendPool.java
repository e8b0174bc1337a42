package dev.berth.agent.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The containers behind one published port and which of them take new connections. A member
 * serves while it is ready (running, and healthy when it has a health check), admitted (the
 * platform lets it take traffic; a blue-green rollout's new replicas are not, until the switch),
 * has a target to connect to, and is not draining. New connections go round-robin over the serving members;
 * each open connection is counted on its member until released, so a draining member can be
 * stopped once its count reaches zero. Thread-safe; the choice itself is pure bookkeeping.
 *
 * @param <T> what a connection is opened to, such as a namespace dialer and a port
 */
public final class BackendPool<T> {

    /** One container behind the port. Its fields change only under the pool's lock. */
    public static final class Member<T> {
        private final String container;
        private T target;
        private boolean ready;
        private boolean admitted;
        private boolean draining;
        private int active;

        private Member(String container, T target, boolean admitted) {
            this.container = container;
            this.target = target;
            this.admitted = admitted;
        }

        private boolean serving() {
            return ready && admitted && !draining && target != null;
        }
    }

    /** A connection counted on a member; give it back with {@link #release}. */
    public record Lease<T>(String container, T target, Member<T> member) {
    }

    private final List<Member<T>> members = new ArrayList<>();
    private int next;

    /** Adds a container, not ready yet, admitted; {@code target} may follow later. */
    public synchronized void add(String container, T target) {
        add(container, target, true);
    }

    /** Adds a container, not ready yet, admitted to traffic or not; {@code target} may follow later. */
    public synchronized void add(String container, T target, boolean admitted) {
        if (find(container) != null) throw new IllegalArgumentException("'" + container + "' is already behind this port");
        members.add(new Member<>(container, target, admitted));
    }

    /** Takes the container out; connections it has open carry on until released. */
    public synchronized void remove(String container) {
        members.removeIf(m -> m.container.equals(container));
        if (next > members.size()) next = 0;
    }

    public synchronized void target(String container, T target) {
        var m = find(container);
        if (m != null) m.target = target;
    }

    public synchronized void ready(String container, boolean ready) {
        var m = find(container);
        if (m != null) m.ready = ready;
    }

    /**
     * Lets containers into traffic or keeps them out, all in one step under the pool's lock: each
     * pick sees either the set before or the set after, never a mix, and connections already open
     * carry on. That makes a blue-green switch atomic per port. Names not behind this port are ignored.
     */
    public synchronized void admit(Map<String, Boolean> admitted) {
        for (Member<T> m : members) {
            Boolean a = admitted.get(m.container);
            if (a != null) m.admitted = a;
        }
    }

    /** No new connections for this container from now on, whatever its health. */
    public synchronized void drain(String container) {
        var m = find(container);
        if (m != null) m.draining = true;
    }

    public synchronized boolean serving(String container) {
        var m = find(container);
        return m != null && m.serving();
    }

    /** Connections open to the container. */
    public synchronized int active(String container) {
        var m = find(container);
        return m == null ? 0 : m.active;
    }

    public synchronized boolean isEmpty() {
        return members.isEmpty();
    }

    public synchronized List<String> containers() {
        return members.stream().map(m -> m.container).toList();
    }

    /**
     * The next serving member after the one picked last, skipping those in {@code tried} (their
     * connection just failed), with a connection counted on it; empty when none serves.
     */
    public synchronized Optional<Lease<T>> pick(Set<String> tried) {
        int n = members.size();
        for (int i = 0; i < n; i++) {
            int index = (next + i) % n;
            Member<T> m = members.get(index);
            if (!m.serving() || tried.contains(m.container)) continue;
            next = (index + 1) % n;
            m.active++;
            return Optional.of(new Lease<>(m.container, m.target, m));
        }
        return Optional.empty();
    }

    public synchronized void release(Lease<T> lease) {
        if (lease.member().active > 0) lease.member().active--;
    }

    private Member<T> find(String container) {
        for (Member<T> m : members) {
            if (m.container.equals(container)) return m;
        }
        return null;
    }
}
