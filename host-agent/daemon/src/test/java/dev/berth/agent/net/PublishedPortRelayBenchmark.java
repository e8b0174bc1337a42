package dev.berth.agent.net;

import dev.berth.agent.firewall.ContainerRules;
import dev.berth.agent.firewall.Firewall;
import dev.berth.agent.firewall.PortForward;
import dev.berth.agent.firewall.RouteLocalnet;
import dev.berth.agent.sys.SyscallPort;
import dev.berth.registry.network.Cidr;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Published-port relaying on 127.0.0.1: bulk throughput (a sink) and 1 KiB request/response
 * latency (an echo), each through a direct connection, the old heap-copy relay and the splice
 * relay, both relays being a real {@link PortListener} dialing through a {@link NamespaceDialer}.
 * After one uncounted throughput run of each, the cases take turns round by round (each round: one
 * throughput run and a share of the round trips, on a new connection), so load from elsewhere
 * falls on all of them alike. CPU per GiB is the whole JVM's (client, relay and server).
 * Then a container as the agent wires one (a namespace behind a veth, its published ports forwarded
 * by the kernel with DNAT) beside the relay into it and direct connections, then the same
 * with the servers inside a network namespace of loopback only (the direct client runs in it too).
 * Prints tables; asserts nothing about speed. Not part of the suite:
 * <pre>./mvnw -o -q -pl host-agent/daemon -am test -Dtest=PublishedPortRelayBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * Options: {@code -Dbench.mib=1024 -Dbench.runs=5 -Dbench.trips=20000 -Dbench.pipes=262144
 * -Dbench.loopback=true -Dbench.dnat=true -Dbench.mtu=1500 -Dbench.netns=true}; {@code bench.pipes} takes a
 * comma-separated list of pipe sizes to compare.
 */
class PublishedPortRelayBenchmark {
    private static final long BYTES = Long.getLong("bench.mib", 1024) << 20;
    private static final int RUNS = Integer.getInteger("bench.runs", 5);
    private static final int TRIPS = Integer.getInteger("bench.trips", 20_000);
    private static final int WARMUP_TRIPS = 1_000;
    private static final int MESSAGE = 1024;
    /** Process CPU time (user and system, all threads): client, relay and server all run in this JVM. */
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    private static final boolean LOOPBACK = Boolean.parseBoolean(System.getProperty("bench.loopback", "true"));
    private static final boolean NETNS = Boolean.parseBoolean(System.getProperty("bench.netns", "true"));
    private static final boolean DNAT = Boolean.parseBoolean(System.getProperty("bench.dnat", "true"));
    private static final Path NFT = Path.of("/usr/sbin/nft");
    /** The benchmark's container: a /32 of TEST-NET-2 behind a veth, as CNI ptp wires one. */
    private static final String SUBNET = "198.51.100.0/28";
    private static final String GATEWAY = "198.51.100.9";
    private static final String CONTAINER = "198.51.100.10";
    /** The veth's MTU: CNI ptp leaves the kernel's 1500 unless configured. */
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
                var sink = listener(dialer, servers.sink, relays.get(i));
                var echo = listener(dialer, servers.echo, relays.get(i));
                closing.add(sink);
                closing.add(echo);
                cases.add(new Case(names.get(i), null, sink.address(), echo.address()));
            }
            compare("Relay, " + where, cases);
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
            try (var servers = inNamespace(netns, () -> Servers.start(new InetSocketAddress(0)));
                    var dialer = new NamespaceDialer(netns, "bench")) {
                int sinkPort = servers.sinkAddress().getPort();
                int echoPort = servers.echoAddress().getPort();
                var cases = new ArrayList<Case>();
                cases.add(new Case("direct, inside the namespace (baseline)", netns, new InetSocketAddress("127.0.0.1", sinkPort),
                        new InetSocketAddress("127.0.0.1", echoPort)));
                cases.add(new Case("direct, host to its address over the veth", null, new InetSocketAddress(CONTAINER, sinkPort),
                        new InetSocketAddress(CONTAINER, echoPort)));
                var sink = listener(dialer, servers.sink, Relay.splicing());
                var echo = listener(dialer, servers.echo, Relay.splicing());
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
                compare("A container behind a veth (" + CONTAINER + ", MTU " + MTU + "), published on 127.0.0.1", cases);
            }
        } finally {
            for (AutoCloseable c : closing) c.close();
            if (firewall != null) firewall.delete();
            runQuietly("ip", "link", "delete", veth);
            runQuietly("ip", "netns", "del", ns);
        }
    }

    /** Warms each case up, then runs them in turns, round by round, and prints their table. */
    private static void compare(String title, List<Case> cases) throws Exception {
        for (Case k : cases) inNamespace(k.clientNs, () -> throughput(k.sink)); // warm-up, not counted
        // Round by round, every case in turn, so the machine's load falls on all of them alike.
        var mbps = new double[cases.size()][RUNS];
        var cpu = new double[cases.size()][RUNS];
        var nanos = new long[cases.size()][RUNS * (TRIPS / RUNS)];
        for (int r = 0; r < RUNS; r++) {
            for (int c = 0; c < cases.size(); c++) {
                Case k = cases.get(c);
                long cpuBefore = PROCESS.getProcessCpuTime();
                mbps[c][r] = inNamespace(k.clientNs, () -> throughput(k.sink));
                cpu[c][r] = (PROCESS.getProcessCpuTime() - cpuBefore) / 1e9 / (BYTES / (double) (1L << 30));
                long[] trips = inNamespace(k.clientNs, () -> roundTrips(k.echo, TRIPS / RUNS));
                System.arraycopy(trips, 0, nanos[c], r * (TRIPS / RUNS), trips.length);
            }
        }
        double directBest = Arrays.stream(mbps[0]).max().orElseThrow();
        double directP50 = percentile(nanos[0], 50) / 1000;
        System.out.println();
        System.out.println(title);
        System.out.println("| | MB/s, best | MB/s, median | best / direct | CPU s per GiB | p50 µs | p99 µs | p50 − direct |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int c = 0; c < cases.size(); c++) {
            double best = Arrays.stream(mbps[c]).max().orElseThrow();
            double p50 = percentile(nanos[c], 50) / 1000;
            System.out.printf("| %s | %.0f | %.0f | %.2fx | %.2f | %.1f | %.1f | %+.1f µs |%n", cases.get(c).name, best,
                    median(mbps[c]), best / directBest, median(cpu[c]), p50, percentile(nanos[c], 99) / 1000, p50 - directP50);
        }
        for (int c = 0; c < cases.size(); c++) {
            System.out.println(cases.get(c).name + ", all runs (MB/s): "
                    + Arrays.stream(mbps[c]).mapToObj(v -> String.format("%.0f", v)).toList());
        }
    }

    /** One way of reaching the servers; the direct client runs in the servers' namespace. */
    private record Case(String name, Path clientNs, InetSocketAddress sink, InetSocketAddress echo) {
    }

    private static PortListener listener(NamespaceDialer dialer, ServerSocketChannel server, Relay relay) throws IOException {
        var pool = new BackendPool<PortListener.Target>();
        pool.add("bench", new PortListener.Target(dialer, ((InetSocketAddress) server.getLocalAddress()).getPort()));
        pool.ready("bench", true);
        return new PortListener(new InetSocketAddress("127.0.0.1", 0), pool, relay);
    }

    /** Sends BYTES, half-closes, waits for the sink's count: MB/s (10^6 bytes). */
    private static double throughput(InetSocketAddress at) throws IOException {
        try (var c = SocketChannel.open(at)) {
            var block = ByteBuffer.allocateDirect(1 << 20);
            long start = System.nanoTime();
            for (long sent = 0; sent < BYTES; sent += block.capacity()) {
                block.clear().limit((int) Math.min(block.capacity(), BYTES - sent));
                while (block.hasRemaining()) c.write(block);
            }
            c.shutdownOutput();
            var count = ByteBuffer.allocate(8);
            while (count.hasRemaining() && c.read(count) >= 0) {
                // the sink answers with the byte count once it saw end of stream
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (count.flip().getLong() != BYTES) throw new IOException("the sink counted " + count.getLong(0) + " bytes");
            return BYTES / seconds / 1e6;
        }
    }

    /** 1 KiB out, 1 KiB back, {@code trips} times after a warm-up: each round trip in ns. */
    private static long[] roundTrips(InetSocketAddress at, int trips) throws IOException {
        try (var c = SocketChannel.open(at)) {
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            var message = ByteBuffer.allocateDirect(MESSAGE);
            long[] nanos = new long[trips];
            for (int i = 0; i < WARMUP_TRIPS + trips; i++) {
                long start = System.nanoTime();
                message.clear();
                while (message.hasRemaining()) c.write(message);
                message.clear();
                while (message.hasRemaining()) {
                    if (c.read(message) < 0) throw new IOException("the echo server hung up");
                }
                if (i >= WARMUP_TRIPS) nanos[i - WARMUP_TRIPS] = System.nanoTime() - start;
            }
            return nanos;
        }
    }

    /** A sink (reads to EOF, answers the count) and an echo, on platform threads. */
    private record Servers(ServerSocketChannel sink, ServerSocketChannel echo) implements AutoCloseable {
        static Servers start() throws IOException {
            return new Servers(LoopbackServer.start(Servers::sink), LoopbackServer.start(Servers::echo));
        }

        static Servers start(InetSocketAddress bind) throws IOException {
            return new Servers(LoopbackServer.start(bind, Servers::sink), LoopbackServer.start(bind, Servers::echo));
        }

        InetSocketAddress sinkAddress() throws IOException {
            return (InetSocketAddress) sink.getLocalAddress();
        }

        InetSocketAddress echoAddress() throws IOException {
            return (InetSocketAddress) echo.getLocalAddress();
        }

        private static void sink(SocketChannel c) throws IOException {
            var buffer = ByteBuffer.allocateDirect(1 << 20);
            long total = 0;
            int n;
            while ((n = c.read(buffer.clear())) >= 0) total += n;
            var count = ByteBuffer.allocate(8).putLong(total).flip();
            while (count.hasRemaining()) c.write(count);
        }

        private static void echo(SocketChannel c) throws IOException {
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            var message = ByteBuffer.allocateDirect(MESSAGE);
            while (true) {
                message.clear();
                while (message.hasRemaining()) {
                    if (c.read(message) < 0) return;
                }
                message.flip();
                while (message.hasRemaining()) c.write(message);
            }
        }

        @Override
        public void close() throws IOException {
            sink.close();
            echo.close();
        }
    }

    /** Runs {@code work} on a fresh platform thread inside {@code netns} (or where we are, when null). */
    private static <T> T inNamespace(Path netns, Callable<T> work) throws Exception {
        var task = new FutureTask<>(() -> {
            if (netns != null) SyscallPort.enterNamespace(netns, SyscallPort.CLONE_NEWNET);
            return work.call();
        });
        Thread.ofPlatform().start(task);
        return task.get(10, TimeUnit.MINUTES);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        var p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed: " + out);
    }

    private static void runQuietly(String... command) {
        try {
            run(command);
        } catch (IOException | InterruptedException ignored) {
            // cleaning up what may not exist
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double percentile(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }
}
