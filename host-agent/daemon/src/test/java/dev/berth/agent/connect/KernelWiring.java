package dev.berth.agent.connect;

import static dev.berth.agent.net.RelayBench.run;

import dev.berth.agent.firewall.ContainerRules;
import dev.berth.agent.firewall.Firewall;
import dev.berth.registry.network.Cidr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The consumer and producer namespaces of {@link ConnectsBenchmark} wired to the host the way the
 * agent wires containers: a veth each (CNI {@code ptp}: /32s, the namespace's default route via the
 * host side, MTU 65535 like the agent's), both containers' rules in a table of the benchmark's own
 * ({@code berthbench_<id>}) written by the real {@link Firewall}, which {@link Connects} then fills
 * with the connect's path. Addresses of 203.0.113.192/28, which no test uses (TEST-NET-1 is this
 * machine's real network). {@link #close} deletes the table and the host ends of the veths.
 */
final class KernelWiring implements AutoCloseable {
    static final String SUBNET = "203.0.113.192/28";
    private static final int MTU = 65535;

    final Firewall firewall;
    final Connects.Own consumer;
    final Inet4Address producer;
    private final List<String> hostVeths;

    KernelWiring(String id, Path consumerNs, Path producerNs) throws Exception {
        String consumerVeth = "bbk" + id + "c";
        String producerVeth = "bbk" + id + "p";
        hostVeths = List.of(consumerVeth, producerVeth);
        Firewall opened = null;
        try {
            wire(consumerNs, consumerVeth, "203.0.113.193", "203.0.113.194");
            wire(producerNs, producerVeth, "203.0.113.195", "203.0.113.196");
            opened = Firewall.open(Path.of("/usr/sbin/nft"), "berthbench_" + id, List.of(Cidr.parse(SUBNET)));
            consumer = new Connects.Own((Inet4Address) InetAddress.ofLiteral("203.0.113.194"), consumerVeth, "eth0");
            producer = (Inet4Address) InetAddress.ofLiteral("203.0.113.196");
            opened.apply(new ContainerRules("web-1", consumerVeth, List.of(consumer.address()), false, List.of(), List.of()));
            opened.apply(new ContainerRules("api-a", producerVeth, List.of(producer), false, List.of(), List.of()));
            firewall = opened;
        } catch (Exception e) {
            if (opened != null) opened.delete();
            deleteVeths();
            throw e;
        }
    }

    /** A veth from the host into {@code ns} ({@code eth0} inside), as the ptp plugin leaves it. */
    private static void wire(Path ns, String hostSide, String hostAddress, String nsAddress) throws Exception {
        String name = ns.getFileName().toString();
        run("ip", "link", "add", hostSide, "mtu", Integer.toString(MTU), "type", "veth", "peer", "name", "eth0", "mtu",
                Integer.toString(MTU), "netns", name);
        run("ip", "addr", "add", hostAddress + "/32", "dev", hostSide);
        run("ip", "link", "set", hostSide, "up");
        run("ip", "route", "add", nsAddress + "/32", "dev", hostSide);
        run("ip", "-n", name, "addr", "add", nsAddress + "/32", "dev", "eth0");
        run("ip", "-n", name, "link", "set", "eth0", "up");
        run("ip", "-n", name, "route", "add", hostAddress + "/32", "dev", "eth0", "scope", "link");
        run("ip", "-n", name, "route", "add", "default", "via", hostAddress, "dev", "eth0");
    }

    /** The producer as the agent's {@link LocalReplicas} sees a serving replica listening on its interface. */
    LocalReplicas replicas(String container, long pid) {
        return new LocalReplicas() {
            @Override
            public OptionalLong servingPid(String c) {
                return c.equals(container) ? OptionalLong.of(pid) : OptionalLong.empty();
            }

            @Override
            public Optional<InetSocketAddress> forwardable(String c, int port) {
                return c.equals(container) ? Optional.of(new InetSocketAddress(producer, port)) : Optional.empty();
            }

            @Override
            public Optional<InetAddress> address(String c) {
                return c.equals(container) ? Optional.of(producer) : Optional.empty();
            }
        };
    }

    private void deleteVeths() {
        for (String veth : hostVeths) {
            try {
                run("ip", "link", "del", veth);
            } catch (Exception gone) {
                // went with its namespace
            }
        }
    }

    @Override
    public void close() throws Exception {
        try {
            firewall.delete();
        } finally {
            deleteVeths();
        }
    }
}
