package dev.berth.agent.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.HashSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves a published port: listens on a host address and relays each new connection to the next
 * serving container of its {@link BackendPool}, opened inside that container's network namespace.
 * A connection whose backend cannot be reached tries the next one; with no serving backend it is
 * closed at once. Open connections finish where they started whatever happens to the pool. The
 * bytes themselves move through a {@link Relay} (splice(2) in the kernel by default).
 */
public final class PortListener implements AutoCloseable {
    private static final System.Logger log = System.getLogger(PortListener.class.getName());

    /** Where a connection goes: a dialer into the container's namespace and the container port. */
    public record Target(NamespaceDialer dialer, int port) {
    }

    private final ServerSocketChannel server;
    private final BackendPool<Target> pool;
    private final OpenLinks open;
    private final Thread acceptor;
    private final AtomicLong accepted = new AtomicLong();

    /** Binds now, so a port in use fails here with a clear error; relays with splice(2) where it can. */
    public PortListener(InetSocketAddress listen, BackendPool<Target> pool) throws IOException {
        this(listen, pool, Relay.splicing());
    }

    /** Binds now, so a port in use fails here with a clear error; {@code relay} joins each connection to its backend. */
    public PortListener(InetSocketAddress listen, BackendPool<Target> pool, Relay relay) throws IOException {
        this.pool = pool;
        this.open = new OpenLinks(relay);
        this.server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(listen);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + listen.getHostString() + ":" + listen.getPort() + ": " + e.getMessage(), e);
        }
        this.acceptor = Acceptor.start("listen-" + listen.getPort(), server, this::serve);
    }

    public InetSocketAddress address() throws IOException {
        return (InetSocketAddress) server.getLocalAddress();
    }

    public BackendPool<Target> pool() {
        return pool;
    }

    /** Connections this listener accepted so far (those the kernel forwarded elsewhere never reach it). */
    public long accepted() {
        return accepted.get();
    }

    private void serve(SocketChannel client) {
        accepted.incrementAndGet();
        var tried = new HashSet<String>();
        while (true) {
            var lease = pool.pick(tried);
            if (lease.isEmpty()) {
                closeQuietly(client); // nothing serves: refuse rather than hold the client
                return;
            }
            SocketChannel upstream;
            try {
                upstream = lease.get().target().dialer().dial(lease.get().target().port());
            } catch (IOException e) {
                pool.release(lease.get());
                tried.add(lease.get().container());
                log.log(System.Logger.Level.DEBUG, "backend " + lease.get().container() + " refused a connection: " + e.getMessage());
                continue;
            }
            try {
                open.relay(client, upstream);
            } finally {
                pool.release(lease.get());
            }
            return;
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** Stops listening and cuts every open connection; the port is free again when this returns. */
    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
        open.cutAll();
        try {
            // A channel closed while a thread accepts on it lets go of the socket when that thread leaves accept.
            acceptor.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
