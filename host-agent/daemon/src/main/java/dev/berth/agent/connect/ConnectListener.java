package dev.berth.agent.connect;

import dev.berth.agent.protocol.ConnectTarget;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.ByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@code connects} entry of one container: a socket listening on {@code 127.0.0.1:local}
 * inside the container's network namespace, relaying each connection to the next backend of its
 * target in turn. A backend that cannot be reached (nothing was sent to it) makes way for the next;
 * with none left the connection is reset at once. Backends are looked up per connection, so a new
 * assignment changes where new connections go while open ones finish where they are.
 */
final class ConnectListener implements AutoCloseable {
    private static final System.Logger log = System.getLogger(ConnectListener.class.getName());

    /** Opens a connection to one backend, or says why it cannot. */
    interface Dial {
        ByteChannel open(ConnectTarget.Backend backend) throws IOException;
    }

    /** Where connections go now: the target's backends, or none. */
    interface Backends {
        List<ConnectTarget.Backend> now();
    }

    private final String name;
    private final ServerSocketChannel server;
    private final Backends backends;
    private final Dial dial;
    private final RoundRobin turn = new RoundRobin();
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    /** Starts accepting on {@code server}, a socket bound inside the container. */
    ConnectListener(String name, ServerSocketChannel server, Backends backends, Dial dial) {
        this.name = name;
        this.server = server;
        this.backends = backends;
        this.dial = dial;
        this.acceptor = Thread.ofVirtual().name("connect-" + name).start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (server.isOpen()) log.log(System.Logger.Level.WARNING, name + ": accept failed: " + e.getMessage());
                continue;
            }
            Thread.ofVirtual().start(() -> relay(client));
        }
    }

    private void relay(SocketChannel client) {
        open.add(client);
        try {
            var current = backends.now();
            var tried = new HashSet<ConnectTarget.Backend>();
            while (true) {
                var backend = turn.pick(current, tried);
                if (backend.isEmpty()) {
                    reset(client);
                    return;
                }
                ByteChannel upstream;
                try {
                    upstream = dial.open(backend.get());
                } catch (IOException e) {
                    tried.add(backend.get());
                    log.log(System.Logger.Level.DEBUG, name + ": " + backend.get().container() + " on " + backend.get().hostId()
                            + " cannot be reached: " + e.getMessage());
                    continue;
                }
                Relay.run(client, upstream);
                return;
            }
        } finally {
            open.remove(client);
        }
    }

    /** Closes with a reset, so the app learns at once that nothing serves rather than reading an empty answer. */
    private static void reset(SocketChannel client) {
        try {
            client.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException ignored) {
            // closed plainly then
        }
        Relay.closeQuietly(client);
    }

    /** Stops listening and cuts the connections it relays. */
    @Override
    public void close() {
        Relay.closeQuietly(server);
        acceptor.interrupt();
        open.forEach(Relay::closeQuietly);
    }
}
