package dev.berth.agent.protocol;

import java.util.List;

/**
 * Where an app's port is served now, for the containers on a host that connect to it
 * ({@link ContainerSpec.Connect}): its replicas in traffic, on this host or on others.
 *
 * @param app the producing app as agents name it (team-qualified)
 * @param port the producer's port name
 * @param backends its replicas in traffic; empty when none serves (connections are refused at once)
 */
public record ConnectTarget(String app, String port, List<Backend> backends) {
    public ConnectTarget {
        backends = backends == null ? List.of() : List.copyOf(backends);
    }

    /**
     * One replica serving the port.
     *
     * @param hostId the host that runs it; the consumer's own host id means "dial it locally"
     * @param container the replica's container name on that host
     * @param containerPort the port number the name stands for in that replica's revision
     * @param peerAddress {@code host:port} of that host's agent peer listener (mutual TLS); null when unknown
     */
    public record Backend(String hostId, String container, int containerPort, String peerAddress) {
    }
}
