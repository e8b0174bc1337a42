package dev.berth.agent.protocol;

import java.util.List;

/**
 * Who may reach a port of an app whose replicas run on this host, through the agent's peer
 * listener: the peer agent must present a platform certificate for one of {@code consumerHosts}
 * and ask on behalf of {@code consumerApp}.
 *
 * @param app the producing app (team-qualified)
 * @param port the producer's port name
 * @param consumerApp the app that declared {@code connects} to it
 * @param consumerHosts the hosts that run a replica of {@code consumerApp}
 */
public record ConnectGrant(String app, String port, String consumerApp, List<String> consumerHosts) {
    public ConnectGrant {
        consumerHosts = consumerHosts == null ? List.of() : List.copyOf(consumerHosts);
    }
}
