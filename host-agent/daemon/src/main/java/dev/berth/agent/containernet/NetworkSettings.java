package dev.berth.agent.containernet;

import dev.berth.registry.network.Cidr;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * How an agent connects the containers that ask for a network: the IPv4 range their addresses
 * come from (one /32 each, routed by the host, never bridged) and the DNS servers their
 * resolv.conf names (empty: the host's own, less loopback ones a container cannot reach).
 */
public record NetworkSettings(Cidr subnet, List<InetAddress> dns) {
    /**
     * The default range: private, and a /16 rarely used by other software; pick another with
     * {@code --container-subnet} where it clashes with the host's networks.
     */
    public static final String DEFAULT_SUBNET = "10.213.0.0/16";

    public NetworkSettings {
        dns = List.copyOf(dns);
    }

    public static NetworkSettings defaults() {
        return new NetworkSettings(subnet(DEFAULT_SUBNET), List.of());
    }

    /**
     * A container range: an IPv4 network address with its prefix (/8 to /28, host bits zero),
     * neither loopback, link-local, multicast nor unspecified.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    public static Cidr subnet(String text) {
        Cidr cidr = Cidr.parse(text);
        if (!text.contains("/")) throw new IllegalArgumentException("'" + text + "' needs a prefix length, like 10.213.0.0/16");
        if (cidr.network().length != 4) throw new IllegalArgumentException("'" + text + "' is not an IPv4 range (only IPv4 is supported)");
        if (cidr.prefix() < 8 || cidr.prefix() > 28) {
            throw new IllegalArgumentException("'" + text + "' must have a prefix from /8 to /28 (at least 16 addresses)");
        }
        InetAddress network = address(cidr.network());
        if (network.isLoopbackAddress() || network.isMulticastAddress() || network.isLinkLocalAddress()
                || network.isAnyLocalAddress() || (cidr.network()[0] & 0xff) >= 240) {
            throw new IllegalArgumentException("'" + text + "' is a loopback, link-local, multicast or reserved range");
        }
        long value = 0;
        for (byte b : cidr.network()) value = value << 8 | (b & 0xff);
        if ((value & ((1L << (32 - cidr.prefix())) - 1)) != 0) {
            throw new IllegalArgumentException("'" + text + "' has host bits set: name the network address of the range");
        }
        return cidr;
    }

    /**
     * A DNS server for containers: an IP literal (no names), not unspecified nor multicast.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    public static InetAddress resolver(String text) {
        if (text.contains("/")) throw new IllegalArgumentException("'" + text + "' is a range; a DNS server is one IP address");
        Cidr cidr = Cidr.parse(text);
        InetAddress address = address(cidr.network());
        if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
            throw new IllegalArgumentException("'" + text + "' cannot be a DNS server");
        }
        return address;
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address", e);
        }
    }
}
