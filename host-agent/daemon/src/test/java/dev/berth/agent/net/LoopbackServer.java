package dev.berth.agent.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** A test server on 127.0.0.1 or another address (of the calling thread's namespace): one platform thread per connection. */
final class LoopbackServer {

    /** What the server does with one connection; the connection is closed afterwards. */
    @FunctionalInterface
    interface Handler {
        void handle(SocketChannel c) throws IOException;
    }

    private LoopbackServer() {
    }

    /** Binds a free port and serves it until the returned channel is closed. */
    static ServerSocketChannel start(Handler handler) throws IOException {
        return start(new InetSocketAddress("127.0.0.1", 0), handler);
    }

    /** Binds a free port of {@code address} (the wildcard for all of the namespace's) and serves it until closed. */
    static ServerSocketChannel start(InetAddress address, Handler handler) throws IOException {
        return start(new InetSocketAddress(address, 0), handler);
    }

    /** Binds {@code address} (port 0: a free one) and serves it until the returned channel is closed. */
    private static ServerSocketChannel start(InetSocketAddress address, Handler handler) throws IOException {
        var server = ServerSocketChannel.open().bind(address);
        Thread.ofPlatform().daemon().start(() -> {
            while (server.isOpen()) {
                try {
                    var c = server.accept();
                    Thread.ofPlatform().daemon().start(() -> {
                        try (c) {
                            handler.handle(c);
                        } catch (IOException ignored) {
                            // the client went away, or the relay cut the connection
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return server;
    }
}
