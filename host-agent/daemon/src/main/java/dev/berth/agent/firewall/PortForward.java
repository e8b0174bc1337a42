package dev.berth.agent.firewall;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A published port the kernel forwards to containers' own addresses (DNAT in the agent's table),
 * so that its bytes never pass through the agent. IPv4 only: container addresses are IPv4.
 *
 * @param address the host address it is published on; null for every local address (a wildcard publish)
 * @param port the host port
 * @param serving where new connections go, in turn; empty: nothing is forwarded, and connections
 *                reach whatever listens on the port (the agent's relay)
 * @param members every container address and port behind the port, serving or not (the serving
 *                ones are added): connections already forwarded to one of them carry on
 */
public record PortForward(Inet4Address address, int port, List<InetSocketAddress> serving, List<InetSocketAddress> members) {
    public PortForward {
        if (port < 1 || port > 65535) throw new IllegalArgumentException("published port " + port + " is not 1-65535");
        serving = List.copyOf(serving);
        var all = new LinkedHashSet<>(serving);
        all.addAll(members);
        for (InetSocketAddress b : all) {
            if (!(b.getAddress() instanceof Inet4Address) || b.getPort() < 1 || b.getPort() > 65535) {
                throw new IllegalArgumentException("port " + port + " cannot be forwarded to " + b + ": not an IPv4 address and port 1-65535");
            }
        }
        members = List.copyOf(all);
    }

    /** The same address and port with nothing behind it: removes the forward. */
    public static PortForward none(Inet4Address address, int port) {
        return new PortForward(address, port, List.of(), List.of());
    }

    /** Which published port this is, whatever is behind it. */
    record Key(Inet4Address address, int port) {
    }

    Key key() {
        return new Key(address, port);
    }
}
