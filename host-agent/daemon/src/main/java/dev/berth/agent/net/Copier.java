package dev.berth.agent.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;

/** Copies through a heap buffer with the channels' own reads and writes: works for any pair. */
final class Copier implements Transfer {
    private static final int BUFFER_BYTES = 16 * 1024;

    @Override
    public void move(SocketChannel from, SocketChannel to) throws IOException {
        copy(from, to);
    }

    /** Copies until end of stream on {@code from}; both channels blocking. */
    static void copy(ReadableByteChannel from, WritableByteChannel to) throws IOException {
        var buffer = ByteBuffer.allocate(BUFFER_BYTES);
        while (from.read(buffer) >= 0) {
            buffer.flip();
            while (buffer.hasRemaining()) to.write(buffer);
            buffer.clear();
        }
    }
}
