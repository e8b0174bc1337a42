package dev.berth.agent.daemon;

import dev.berth.agent.net.NamespaceDialer;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * Whether a container's app takes connections on its own interface, which the kernel's
 * forwarding of a published port needs (DNAT reaches the container's address, not its loopback,
 * where the relay connects). Asked from inside the container's namespace: a connection to its
 * own address reaches sockets on 0.0.0.0 or on that address, not those on 127.0.0.1 alone. Each
 * question opens (and closes at once) a connection to the app, as a TCP health check does.
 */
final class InterfaceProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** What the app listens on, as far as the published container ports tell. */
    enum Listening {
        /** Every port on the interface: the kernel may forward. */
        INTERFACE,
        /** Some port on 127.0.0.1 alone: the relay must carry it. */
        LOOPBACK_ONLY,
        /** Not every port listens yet: ask again later. */
        NOT_YET
    }

    private InterfaceProbe() {
    }

    /**
     * Asks on a virtual thread of its own, every second and after half a minute every ten, until
     * {@code answered} (told each answer) returns false.
     */
    static void askUntilKnown(String container, NamespaceDialer dialer, InetAddress address, List<Integer> ports,
                              Predicate<Listening> answered) {
        Thread.ofVirtual().name("probe-" + container).start(() -> {
            for (int attempt = 1; answered.test(ask(dialer, address, ports)); attempt++) {
                try {
                    Thread.sleep(attempt < 30 ? 1000 : 10_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    static Listening ask(NamespaceDialer dialer, InetAddress address, List<Integer> ports) {
        for (int port : ports) {
            if (accepts(dialer, address, port)) continue;
            if (!accepts(dialer, null, port)) return Listening.NOT_YET;
            // The app may have begun to listen between the two questions: ask the interface again, now that it listens.
            if (!accepts(dialer, address, port)) return Listening.LOOPBACK_ONLY;
        }
        return Listening.INTERFACE;
    }

    /** Whether {@code address:port} (null: 127.0.0.1) accepts a connection inside the namespace. */
    private static boolean accepts(NamespaceDialer dialer, InetAddress address, int port) {
        try (var c = address == null ? dialer.dial(port, TIMEOUT) : dialer.dial(address, port, TIMEOUT)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
