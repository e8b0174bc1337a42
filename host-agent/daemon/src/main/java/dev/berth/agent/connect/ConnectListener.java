package dev.berth.agent.connect;

import dev.berth.agent.net.Acceptor;
import dev.berth.agent.net.OpenLinks;
import dev.berth.agent.net.Relay;
import dev.berth.agent.protocol.ConnectTarget;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.HashSet;
import java.util.List;

/**
 * One {@code connects} entry of one container: a socket listening on {@code 127.0.0.1:local}
 * inside the container's network namespace, relaying each connection to the next backend of its
 * target in turn. A backend that cannot be reached (nothing was sent to it) makes way for the next;
 * with none left the connection is reset at once. Backends are looked up per connection, so a new
 * assignment changes where new connections go while open ones finish where they are. Bytes move
 * through a {@link Relay}: spliced to a local replica, copied through the peer link's TLS.
 */
final class ConnectListener implements AutoCloseable {
    private static final System.Logger log = System.getLogger(ConnectListener.class.getName());

    /** Opens a connection to one backend, or says why it cannot: a socket channel, or a byte stream of the peer link. */
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
    private final OpenLinks open;
    private final RoundRobin turn = new RoundRobin();
    private final Thread acceptor;

    /** Starts accepting on {@code server}, a socket bound inside the container. */
    ConnectListener(String name, ServerSocketChannel server, Backends backends, Dial dial, Relay relay) {
        this.name = name;
        this.server = server;
        this.backends = backends;
        this.dial = dial;
        this.open = new OpenLinks(relay);
        this.acceptor = Acceptor.start("connect-" + name, server, this::relay);
    }

    private void relay(SocketChannel client) {
        try {
            relayToNextBackend(client);
        } catch (RuntimeException e) {
            // Whatever went wrong, the app must not wait forever on a connection nobody serves.
            log.log(System.Logger.Level.WARNING, name + ": relaying a connection failed: " + e);
            reset(client);
        }
    }

    private void relayToNextBackend(SocketChannel client) {
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
            } catch (IOException | RuntimeException e) {
                // A dialer closed by a new assignment while dialling fails unchecked: nothing was sent, the next may serve.
                tried.add(backend.get());
                log.log(System.Logger.Level.DEBUG, name + ": " + backend.get().container() + " on " + backend.get().hostId()
                        + " cannot be reached: " + e.getMessage());
                continue;
            }
            open.relay(client, upstream);
            return;
        }
    }

    /** Closes with a reset, so the app learns at once that nothing serves rather than reading an empty answer. */
    private static void reset(SocketChannel client) {
        try {
            client.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException ignored) {
            // closed plainly then
        }
        closeQuietly(client);
    }

    private static void closeQuietly(Channel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** Stops listening and cuts the connections it relays. */
    @Override
    public void close() {
        closeQuietly(server);
        acceptor.interrupt();
        open.cutAll();
    }
}
