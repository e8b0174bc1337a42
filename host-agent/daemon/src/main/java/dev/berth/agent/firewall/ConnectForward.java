package dev.berth.agent.firewall;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * One {@code connects} entry of a container that the kernel forwards inside the container's own
 * namespace: new connections to {@code 127.0.0.1:local} take turns over {@code slots} backends,
 * the first {@code kernel.size()} of which are DNAT'ed to their address and port. The other turns
 * find no map element, stay un-NAT'ed and reach the agent's listener on {@code 127.0.0.1:local},
 * which relays them to the backends the kernel cannot reach (other hosts, apps on 127.0.0.1 alone).
 *
 * @param slots every backend of the target, forwarded or relayed: at least {@code kernel.size()}
 */
public record ConnectForward(int local, int slots, List<InetSocketAddress> kernel) {
    public ConnectForward {
        if (local < 1 || local > 65535) throw new IllegalArgumentException("connect on local port " + local + ": not 1-65535");
        kernel = List.copyOf(kernel);
        if (kernel.isEmpty() || slots < kernel.size()) {
            throw new IllegalArgumentException("connect on local port " + local + ": " + kernel.size() + " forwarded backends of "
                    + slots + " (at least one, at most all)");
        }
        for (InetSocketAddress b : kernel) {
            if (!(b.getAddress() instanceof Inet4Address) || b.getPort() < 1 || b.getPort() > 65535) {
                throw new IllegalArgumentException("connect on local port " + local + " cannot be forwarded to " + b
                        + ": not an IPv4 address and port 1-65535");
            }
        }
    }
}
