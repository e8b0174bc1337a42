package dev.berth.registry.network;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listener on an address a client must never reach: it counts the connections it accepts and
 * closes them at once. Tests put it on 127.0.0.1 at the port an allowed server has on 127.0.0.2.
 */
public final class ForbiddenListener implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();

    private ForbiddenListener(ServerSocket server) {
        this.server = server;
        Thread.ofVirtual().name("forbidden-listener").start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    accepted.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** Listens on {@code address} at {@code port}. */
    public static ForbiddenListener on(InetAddress address, int port) throws IOException {
        var server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(address, port));
        return new ForbiddenListener(server);
    }

    /** How many connections reached it. */
    public int accepted() {
        return accepted.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
