package dev.berth.agent.net;

import static dev.berth.agent.net.RelayBench.BYTES;
import static dev.berth.agent.net.RelayBench.MESSAGE;
import static dev.berth.agent.net.RelayBench.RUNS;
import static dev.berth.agent.net.RelayBench.TRIPS;
import static dev.berth.agent.net.RelayBench.inNamespace;
import static dev.berth.agent.net.RelayBench.run;

import dev.berth.agent.firewall.ContainerRules;
import dev.berth.agent.firewall.Firewall;
import dev.berth.agent.firewall.PortForward;
import dev.berth.agent.firewall.RouteLocalnet;
import dev.berth.agent.net.RelayBench.Case;
import dev.berth.agent.net.RelayBench.Servers;
import dev.berth.registry.network.Cidr;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Published-port relaying on 127.0.0.1: bulk throughput (a sink) and 1 KiB request/response
 * latency (an echo), each through a direct connection, the old heap-copy relay and the splice
 * relay, both relays being a real {@link PortListener} dialing through a {@link NamespaceDialer}.
 * The cases take turns round by round ({@link RelayBench#compare}). CPU per GiB is the whole JVM's
 * (client, relay and server).
 * Then a container as the agent wires one (a namespace behind a veth, its published ports forwarded
 * by the kernel with DNAT) beside the relay into it and direct connections, then the same with
 * the servers inside a network namespace of loopback only (the direct client runs in it too).
 * Prints tables; asserts nothing about speed. Not part of the suite:
 * <pre>./mvnw -o -q -pl host-agent/daemon -am test -Dtest=PublishedPortRelayBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * Options: {@code -Dbench.mib=1024 -Dbench.runs=5 -Dbench.trips=20000 -Dbench.pipes=262144
 * -Dbench.loopback=true -Dbench.dnat=true -Dbench.mtu=1500 -Dbench.netns=true}; {@code bench.pipes}
 * takes a comma-separated list of pipe sizes to compare.
 */
class PublishedPortRelayBenchmark {
    private static final boolean LOOPBACK = Boolean.parseBoolean(System.getProperty("bench.loopback", "true"));
    private static final boolean NETNS = Boolean.parseBoolean(System.getProperty("bench.netns", "true"));
    private static final boolean DNAT = Boolean.parseBoolean(System.getProperty("bench.dnat", "true"));
    private static final Path NFT = Path.of("/usr/sbin/nft");
    /** The benchmark's container: a /32 of TEST-NET-2 behind a veth, as CNI ptp wires one. */
    private static final String SUBNET = "198.51.100.0/28";
    private static final String GATEWAY = "198.51.100.9";
    private static final String CONTAINER = "198.51.100.10";
    /** The veth's MTU: 1500 is the kernel's default, the agent gives its containers 65535. */
    private static final String MTU = System.getProperty("bench.mtu", "1500");
    private static final int[] PIPES = Arrays.stream(System.getProperty("bench.pipes", String.valueOf(Splicer.PIPE_BYTES))
            .split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();

    @Test
    void relayBesideDirect() throws Exception {
        System.out.println();
        System.out.printf("splice available: %s; %d MiB per throughput run, %d rounds; %d round trips of %d bytes%n",
                ChannelDescriptor.available(), BYTES >> 20, RUNS, TRIPS, MESSAGE);
        if (LOOPBACK) measure("loopback", null);
        if (DNAT) forwarded();
        if (NETNS) {
            String name = "berthbench-" + UUID.randomUUID().toString().substring(0, 8);
            try {
                run("ip", "netns", "add", name);
                run("ip", "-n", name, "link", "set", "lo", "up");
                measure("into a network namespace", Path.of("/run/netns", name));
            } finally {
                run("ip", "netns", "del", name);
            }
        }
    }

    private void measure(String where, Path netns) throws Exception {
        Path dialInto = netns != null ? netns : Path.of("/proc/self/ns/net");
        var closing = new ArrayList<AutoCloseable>();
        try (var servers = inNamespace(netns, Servers::start);
                var dialer = new NamespaceDialer(dialInto, "bench")) {
            var cases = new ArrayList<Case>();
            cases.add(new Case("direct (baseline)", netns, servers.sinkAddress(), servers.echoAddress()));
            var relays = new ArrayList<Relay>();
            var names = new ArrayList<String>();
            relays.add(Relay.copying());
            names.add("copy relay (before)");
            for (int pipe : PIPES) {
                relays.add(Relay.splicing(pipe));
                names.add("splice relay, " + (pipe >> 10) + " KiB pipe");
            }
            for (int i = 0; i < relays.size(); i++) {
                var sink = listener(dialer, servers.sink(), relays.get(i));
                var echo = listener(dialer, servers.echo(), relays.get(i));
                closing.add(sink);
                closing.add(echo);
                cases.add(new Case(names.get(i), null, sink.address(), echo.address()));
            }
            RelayBench.compare("Relay, " + where, cases);
        } finally {
            for (AutoCloseable c : closing) c.close();
        }
    }

    /**
     * A container as the agent wires one: a namespace behind a veth with an address of the
     * subnet, its servers on 0.0.0.0, its rules and its published ports (on 127.0.0.1) written by
     * the real {@link Firewall} in a table of the benchmark's own. The direct client runs inside
     * the namespace on loopback and, second, from the host to the container's address over the
     * veth (the benchmark's table lets those replies in; the agent's own never forwards that way).
     */
    private void forwarded() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String ns = "berthbench-" + suffix;
        String veth = "bbv" + suffix;
        String table = "berthbench_" + suffix;
        Path netns = Path.of("/run/netns", ns);
        Firewall firewall = null;
        var closing = new ArrayList<AutoCloseable>();
        try {
            run("ip", "netns", "add", ns);
            run("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
            run("ip", "addr", "add", GATEWAY + "/32", "dev", veth);
            run("ip", "link", "set", veth, "mtu", MTU, "up");
            run("ip", "-n", ns, "link", "set", "eth0", "mtu", MTU);
            run("ip", "route", "add", CONTAINER + "/32", "dev", veth);
            run("ip", "-n", ns, "link", "set", "lo", "up");
            run("ip", "-n", ns, "addr", "add", CONTAINER + "/32", "dev", "eth0");
            run("ip", "-n", ns, "link", "set", "eth0", "up");
            run("ip", "-n", ns, "route", "add", GATEWAY + "/32", "dev", "eth0", "scope", "link");
            run("ip", "-n", ns, "route", "add", "default", "via", GATEWAY, "dev", "eth0");
            firewall = Firewall.open(NFT, table, List.of(Cidr.parse(SUBNET)));
            firewall.apply(new ContainerRules("bench", veth, List.of(InetAddress.ofLiteral(CONTAINER)), false, List.of(), List.of()));
            RouteLocalnet.enable(veth);
            run(NFT.toString(), "insert", "rule", "inet", table, "input", "ip", "saddr", CONTAINER, "ct", "state", "established", "accept");
            try (var servers = inNamespace(netns, () -> Servers.start(InetAddress.ofLiteral("0.0.0.0")));
                    var dialer = new NamespaceDialer(netns, "bench")) {
                int sinkPort = servers.sinkAddress().getPort();
                int echoPort = servers.echoAddress().getPort();
                var cases = new ArrayList<Case>();
                cases.add(new Case("direct, inside the namespace (baseline)", netns, new InetSocketAddress("127.0.0.1", sinkPort),
                        new InetSocketAddress("127.0.0.1", echoPort)));
                cases.add(new Case("direct, host to its address over the veth", null, new InetSocketAddress(CONTAINER, sinkPort),
                        new InetSocketAddress(CONTAINER, echoPort)));
                var sink = listener(dialer, servers.sink(), Relay.splicing());
                var echo = listener(dialer, servers.echo(), Relay.splicing());
                closing.add(sink);
                closing.add(echo);
                cases.add(new Case("splice relay (127.0.0.1 listener)", null, sink.address(), echo.address()));
                var published = new ArrayList<InetSocketAddress>();
                for (int port : List.of(sinkPort, echoPort)) {
                    // A free port of 127.0.0.1, left unbound: the rule takes its connections before any listener would.
                    int host;
                    try (var probe = new java.net.ServerSocket(0, 1, InetAddress.ofLiteral("127.0.0.1"))) {
                        host = probe.getLocalPort();
                    }
                    firewall.forward(List.of(new PortForward((Inet4Address) InetAddress.ofLiteral("127.0.0.1"), host,
                            List.of(new InetSocketAddress(CONTAINER, port)), List.of())));
                    published.add(new InetSocketAddress("127.0.0.1", host));
                }
                cases.add(new Case("DNAT, published on 127.0.0.1 (kernel)", null, published.get(0), published.get(1)));
                RelayBench.compare("A container behind a veth (" + CONTAINER + ", MTU " + MTU + "), published on 127.0.0.1", cases);
            }
        } finally {
            for (AutoCloseable c : closing) c.close();
            if (firewall != null) firewall.delete();
            runQuietly("ip", "link", "delete", veth);
            runQuietly("ip", "netns", "del", ns);
        }
    }

    private static void runQuietly(String... command) {
        try {
            run(command);
        } catch (IOException | InterruptedException ignored) {
            // cleaning up what may not exist
        }
    }

    private static PortListener listener(NamespaceDialer dialer, ServerSocketChannel server, Relay relay) throws IOException {
        var pool = new BackendPool<PortListener.Target>();
        pool.add("bench", new PortListener.Target(dialer, ((InetSocketAddress) server.getLocalAddress()).getPort()));
        pool.ready("bench", true);
        return new PortListener(new InetSocketAddress("127.0.0.1", 0), pool, relay);
    }
}
