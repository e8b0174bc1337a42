package dev.berth.agent.firewall;

import java.net.InetAddress;

/**
 * Packets of one container the firewall dropped, for one destination, as the kernel counted them.
 *
 * @param protocol {@code tcp}, {@code udp}, {@code icmp} or {@code icmpv6}...
 * @param port the destination port, 0 where the protocol has none
 */
public record Refusal(String container, InetAddress destination, String protocol, int port, long packets) {
}
