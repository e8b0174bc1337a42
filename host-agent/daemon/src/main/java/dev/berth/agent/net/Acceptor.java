package dev.berth.agent.net;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * The accept loop of a listening socket: each connection is served on a virtual thread of its
 * own, until the socket is closed (which ends the loop; interrupting the thread wakes it).
 */
public final class Acceptor {
    private static final System.Logger log = System.getLogger(Acceptor.class.getName());

    private Acceptor() {
    }

    /** Starts accepting on {@code server} on a virtual thread named {@code name}, which it returns. */
    public static Thread start(String name, ServerSocketChannel server, Consumer<SocketChannel> serve) {
        return Thread.ofVirtual().name(name).start(() -> {
            while (server.isOpen()) {
                SocketChannel client;
                try {
                    client = server.accept();
                } catch (IOException e) {
                    if (server.isOpen()) log.log(System.Logger.Level.WARNING, name + ": accept failed: " + e.getMessage());
                    continue;
                }
                Thread.ofVirtual().start(() -> serve.accept(client));
            }
        });
    }
}
