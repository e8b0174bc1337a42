package dev.berth.agent.peer;

import dev.berth.agent.net.ByteStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import javax.net.ssl.SSLSocket;

/**
 * One end of the peer link's TLS connection once the request was answered {@code OK} (what
 * {@link PeerClient#open} returns, and what the listener relays to the replica). Blocking;
 * {@link #shutdownOutput} half-closes it; {@link #close} closes the TCP socket under the TLS at
 * once, which wakes any thread reading or writing it.
 */
public final class PeerConnection implements ByteStream {
    private final SSLSocket tls;
    private final Socket plain;
    private final ReadableByteChannel in;
    private final WritableByteChannel out;

    PeerConnection(SSLSocket tls, Socket plain) throws IOException {
        this.tls = tls;
        this.plain = plain;
        // Relayed bytes go out at once, as the relay's sockets do (see Relay): no Nagle wait for a record's tail.
        plain.setTcpNoDelay(true);
        this.in = Channels.newChannel(tls.getInputStream());
        this.out = Channels.newChannel(tls.getOutputStream());
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
    @Override
    public void shutdownOutput() throws IOException {
        tls.shutdownOutput();
    }

    @Override
    public boolean isOpen() {
        return !plain.isClosed();
    }

    @Override
    public void close() throws IOException {
        // The TCP socket first: closing the TLS one could wait to send close_notify to a peer that reads nothing.
        try {
            plain.close();
        } finally {
            PeerCredentials.closeQuietly(tls);
        }
    }
}
