package dev.berth.agent.firewall;

import java.net.Inet4Address;

/**
 * One connect between two containers of this host that the kernel forwards (the consumer's own
 * namespace DNATs its {@code 127.0.0.1:local} to the producer): the agent's forward chain lets
 * its packets from the consumer's interface and address to the producer's address and port, and
 * their replies, through. IPv4 only: container addresses are IPv4.
 *
 * @param consumerInterface the host side of the consumer's veth: no other container can send from it
 */
public record ConnectPath(String consumerInterface, Inet4Address consumer, Inet4Address producer, int port) {
    public ConnectPath {
        TableObjects.hostInterface(consumerInterface);
        if (consumer == null || producer == null) throw new IllegalArgumentException("a connect path needs both addresses");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("connect to " + producer.getHostAddress() + " port " + port
                + ": not 1-65535");
    }
}
