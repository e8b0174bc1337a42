package dev.berth.agent.net;

import java.io.IOException;
import java.nio.channels.ByteChannel;

/**
 * A blocking connection that is no socket channel of this JVM (a TLS stream), as {@link Relay}
 * joins it to a socket: its bytes are copied, never spliced. Closing it must wake a thread
 * blocked reading or writing it.
 */
public interface ByteStream extends ByteChannel {
    /** Sends end of stream while the other way stays open, so the far side still gets to answer. */
    void shutdownOutput() throws IOException;
}
