package dev.berth.agent.firewall;

import java.net.InetAddress;
import java.util.List;

/**
 * What one container may send beyond its network namespace, and how its packets are recognised.
 * Everything else it sends is dropped and counted per destination.
 *
 * @param container the container's name (a valid runc id)
 * @param hostInterface the host side of its interface, where its packets arrive (from the CNI result)
 * @param addresses its addresses on that interface
 * @param publicEgress whether public internet addresses are allowed
 * @param allowed non-public destinations allowed anyway (an administrator allowed them for the team)
 * @param resolvers the DNS servers in its {@code /etc/resolv.conf}: port 53 to these is allowed
 *                  when {@code publicEgress} or {@code allowed} lets it reach anything at all
 */
public record ContainerRules(String container, String hostInterface, List<InetAddress> addresses,
                             boolean publicEgress, List<Destination> allowed, List<InetAddress> resolvers) {
    public ContainerRules {
        addresses = List.copyOf(addresses);
        allowed = List.copyOf(allowed);
        resolvers = List.copyOf(resolvers);
    }
}
