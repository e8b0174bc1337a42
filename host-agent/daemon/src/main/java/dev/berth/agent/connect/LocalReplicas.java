package dev.berth.agent.connect;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.OptionalLong;

/** The containers this agent holds, as connects dial them: a backend on this host is reached in its own namespace. */
public interface LocalReplicas {
    /**
     * The process id of {@code container} when the agent holds it as a platform container that
     * takes traffic now (admitted, running, healthy if checked, not stopping); empty otherwise.
     */
    OptionalLong servingPid(String container);

    /**
     * Where the kernel can forward a connect to {@code container}'s {@code port}: its own address,
     * while it takes traffic (as {@link #servingPid}) and its app listens there, not on 127.0.0.1
     * alone; empty otherwise (the connect is relayed).
     */
    default Optional<InetSocketAddress> forwardable(String container, int port) {
        return Optional.empty();
    }

    /** The address of {@code container}'s own interface while its process runs, serving or not; empty otherwise. */
    default Optional<InetAddress> address(String container) {
        return Optional.empty();
    }
}
