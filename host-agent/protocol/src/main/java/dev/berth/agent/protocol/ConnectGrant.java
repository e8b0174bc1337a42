package dev.berth.agent.protocol;

import java.util.List;
import java.util.Map;

/**
 * Who may reach a port of an app whose replicas run on this host, through the agent's peer
 * listener: the peer agent must present a platform certificate for one of {@code consumerHosts}
 * and ask on behalf of {@code consumerApp}.
 *
 * @param app the producing app (team-qualified)
 * @param port the producer's port name
 * @param consumerApp the app that declared {@code connects} to it
 * @param consumerHosts the hosts that run a replica of {@code consumerApp}
 * @param containerPorts for each of this host's replicas of {@code app}, the number {@code port}
 *                       stands for in its revision; the agent's specs carry no port names, so a
 *                       replica missing here is not reached through the peer listener
 */
public record ConnectGrant(String app, String port, String consumerApp, List<String> consumerHosts,
                           Map<String, Integer> containerPorts) {
    public ConnectGrant {
        consumerHosts = consumerHosts == null ? List.of() : List.copyOf(consumerHosts);
        containerPorts = containerPorts == null ? Map.of() : Map.copyOf(containerPorts);
    }

    /** A grant that names no replica's port number (the peer listener refuses it). */
    public ConnectGrant(String app, String port, String consumerApp, List<String> consumerHosts) {
        this(app, port, consumerApp, consumerHosts, Map.of());
    }
}
