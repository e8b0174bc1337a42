package dev.berth.agent.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Serves a published port: listens on a host address and relays each connection to a backend in
 * a container's network namespace. {@link #switchTo} swaps the backend atomically: connections
 * accepted afterwards go to the new container, open ones finish where they started.
 */
public final class PortForwarder implements AutoCloseable {
    private static final System.Logger log = System.getLogger(PortForwarder.class.getName());

    /** Where new connections go: a dialer and the container port. */
    public record Backend(NamespaceDialer dialer, int port) {
    }

    private final ServerSocketChannel server;
    private final AtomicReference<Backend> backend;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    /** Binds now, so a port in use fails here with a clear error. */
    public PortForwarder(InetSocketAddress listen, Backend initial) throws IOException {
        this.backend = new AtomicReference<>(initial);
        this.server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(listen);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + listen.getHostString() + ":" + listen.getPort() + ": " + e.getMessage(), e);
        }
        this.acceptor = Thread.ofVirtual().name("forward-" + listen.getPort()).start(this::acceptLoop);
    }

    public InetSocketAddress address() throws IOException {
        return (InetSocketAddress) server.getLocalAddress();
    }

    public void switchTo(Backend next) {
        backend.set(next);
    }

    public int openConnections() {
        return open.size() / 2;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (server.isOpen()) log.log(System.Logger.Level.WARNING, "accept failed", e);
                continue;
            }
            Thread.ofVirtual().start(() -> relay(client, backend.get()));
        }
    }

    private void relay(SocketChannel client, Backend to) {
        SocketChannel upstream;
        try {
            upstream = to.dialer().dial(to.port());
        } catch (IOException e) {
            log.log(System.Logger.Level.INFO, "no backend for a connection: " + e.getMessage());
            closeQuietly(client);
            return;
        }
        open.add(client);
        open.add(upstream);
        Thread back = Thread.ofVirtual().start(() -> pump(upstream, client));
        pump(client, upstream);
        try {
            back.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        open.remove(client);
        open.remove(upstream);
        closeQuietly(client);
        closeQuietly(upstream);
    }

    /** Copies until end of stream, then half-closes the other side so the peer sees EOF. */
    private static void pump(SocketChannel from, SocketChannel to) {
        var buffer = ByteBuffer.allocate(16 * 1024);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) to.write(buffer);
                buffer.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
        for (SocketChannel c : open) closeQuietly(c);
    }
}
