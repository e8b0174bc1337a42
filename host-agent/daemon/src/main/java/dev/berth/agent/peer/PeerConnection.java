package dev.berth.agent.peer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import javax.net.ssl.SSLSocket;

/**
 * A connection to a replica on another host, through its agent's peer listener (what
 * {@link PeerClient#open} returns). Blocking; {@link #shutdownOutput} half-closes it.
 */
public final class PeerConnection implements ByteChannel {
    private final SSLSocket socket;
    private final ReadableByteChannel in;
    private final WritableByteChannel out;

    PeerConnection(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = Channels.newChannel(socket.getInputStream());
        this.out = Channels.newChannel(socket.getOutputStream());
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return in.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return out.write(src);
    }

    /** Tells the replica no more bytes come (the TLS close_notify, then its end of input) while its answer can still be read. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public boolean isOpen() {
        return !socket.isClosed();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
