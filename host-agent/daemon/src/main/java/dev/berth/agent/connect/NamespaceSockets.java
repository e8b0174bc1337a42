package dev.berth.agent.connect;

import dev.berth.agent.sys.NamespaceThread;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;

/**
 * Listening sockets inside a container's network namespace. A socket belongs to the namespace of
 * the thread that creates it and keeps it: a short-lived platform thread enters the namespace,
 * binds, and ends (it is never reused outside); the socket then accepts from any thread.
 */
final class NamespaceSockets {
    private NamespaceSockets() {
    }

    /** A socket listening on {@code 127.0.0.1:port} inside {@code netns} ({@code /proc/PID/ns/net}). */
    static ServerSocketChannel listen(Path netns, int port, String name) throws IOException {
        try {
            return NamespaceThread.call(netns, "netns-listen-" + name, () -> {
                var server = ServerSocketChannel.open();
                try {
                    server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                    server.bind(new InetSocketAddress("127.0.0.1", port));
                    return server;
                } catch (IOException | RuntimeException e) {
                    server.close();
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new IOException("cannot listen on 127.0.0.1:" + port + " inside " + netns + ": " + e.getMessage(), e);
        }
    }
}
