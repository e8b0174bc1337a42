package dev.berth.agent.connect;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channel;
import java.nio.channels.SocketChannel;

/**
 * Copies bytes both ways between an accepted connection and its backend, one thread per
 * direction, until both ends are done. An end of stream on one side half-closes the other
 * (a {@link SocketChannel} only: other channels cannot), so request-then-EOF protocols work; an
 * error on either side closes both.
 */
final class Relay {
    private static final int BUFFER = 16 * 1024;

    private Relay() {
    }

    /** Relays until both directions end, then closes both channels. */
    static void run(SocketChannel client, ByteChannel backend) {
        Thread back = Thread.ofVirtual().name("connect-back").start(() -> pump(backend, client));
        pump(client, backend);
        try {
            back.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(client);
        closeQuietly(backend);
    }

    private static void pump(ByteChannel from, ByteChannel to) {
        var buffer = ByteBuffer.allocate(BUFFER);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) to.write(buffer);
                buffer.clear();
            }
            if (to instanceof SocketChannel socket) socket.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    static void closeQuietly(Channel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
