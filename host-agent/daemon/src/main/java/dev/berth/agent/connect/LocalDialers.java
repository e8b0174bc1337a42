package dev.berth.agent.connect;

import dev.berth.agent.net.NamespaceDialer;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One {@link NamespaceDialer} per producer container on this host, for the run it has now: a
 * restarted container (a new process, a new namespace) gets a new dialer and the old one closes.
 */
final class LocalDialers implements AutoCloseable {
    private record Held(long pid, NamespaceDialer dialer) {
    }

    private final Map<String, Held> dialers = new HashMap<>();

    /** A connection to {@code 127.0.0.1:port} inside the namespace of {@code container}'s process {@code pid}. */
    SocketChannel dial(String container, long pid, int port, Duration timeout) throws IOException {
        NamespaceDialer dialer;
        synchronized (this) {
            var held = dialers.get(container);
            if (held == null || held.pid() != pid) {
                if (held != null) held.dialer().close();
                held = new Held(pid, new NamespaceDialer(Path.of("/proc", Long.toString(pid), "ns", "net"), "connect-" + container));
                dialers.put(container, held);
            }
            dialer = held.dialer();
        }
        return dialer.dial(port, timeout);
    }

    /** Closes the dialers of containers not in {@code keep}. */
    synchronized void retain(Set<String> keep) {
        dialers.entrySet().removeIf(e -> {
            if (keep.contains(e.getKey())) return false;
            e.getValue().dialer().close();
            return true;
        });
    }

    @Override
    public synchronized void close() {
        dialers.values().forEach(h -> h.dialer().close());
        dialers.clear();
    }
}
