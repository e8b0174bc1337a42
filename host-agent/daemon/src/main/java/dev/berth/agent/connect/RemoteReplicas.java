package dev.berth.agent.connect;

import dev.berth.agent.protocol.ConnectTarget;
import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.time.Duration;

/**
 * Opens a connection to a replica another agent runs, on behalf of one of this host's apps: the
 * seam between app-to-app connects (which choose the backend) and the agents' peer link (mutual
 * TLS with platform-issued certificates, which carries the bytes).
 */
public interface RemoteReplicas {
    /**
     * A connection that reaches {@code backend}'s container port, or an {@link IOException} when
     * the peer cannot be reached, refuses (not its replica, not serving, consumer not allowed) or
     * does not answer within {@code timeout}. Nothing has been sent to the replica when it throws,
     * so the caller may try another backend. It is a {@link java.nio.channels.SocketChannel} or a
     * {@link dev.berth.agent.net.ByteStream}, the two a relay joins.
     */
    ByteChannel open(ConnectTarget.Backend backend, String port, String consumerApp, Duration timeout) throws IOException;
}
