package dev.berth.agent.firewall;

import static dev.berth.agent.firewall.ForwardNetwork.greeting;
import static dev.berth.agent.firewall.TestNetwork.inNamespace;
import static dev.berth.agent.firewall.TestNetwork.ip;
import static dev.berth.agent.firewall.TestNetwork.quietly;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.network.Cidr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connects forwarded by the kernel, with real packets: a consumer namespace reaches two producer
 * namespaces through its own {@code 127.0.0.1:9000} ({@link ConnectsTable}), the host's forward
 * chain letting exactly those paths through ({@link Firewall#connects}); the turns left over reach
 * a listener on that port inside the consumer (the agent's relay). A third container (another
 * app) and a spoofed source are refused; once removed, nothing is reachable. Namespaces
 * {@code bcdn-<random>-…}, veths {@code veth<hex>}, a /28 of 203.0.113.160/27 picked at random, a test table.
 */
class FirewallConnectsTest {
    private static final int PORT = 8080;
    private static final int LOCAL = 9000;

    private record Box(String name, String ns, String hostVeth, String gateway, String address) {
        Inet4Address v4() {
            return (Inet4Address) InetAddress.ofLiteral(address);
        }
    }

    private final TestTable table = new TestTable();
    private final String suffix = Long.toString(ThreadLocalRandom.current().nextLong(1L << 25, 1L << 30), 36);
    // Not TEST-NET-1: on this machine 192.0.2.0/24 is the real network (the host's own address and
    // gateway). 203.0.113.160/27 is used by no other test.
    private final int base = 160 + 16 * ThreadLocalRandom.current().nextInt(2);
    private final List<Box> boxes = new ArrayList<>();
    private final List<ServerSocket> servers = new ArrayList<>();
    private final AtomicInteger relayed = new AtomicInteger();
    private Firewall firewall;
    private Box consumer;
    private Box p1;
    private Box p2;
    private Box other;

    private Box box(String name, int slot) throws Exception {
        var b = new Box(name, "bcdn-" + suffix + "-" + name, "veth" + String.format("%08x", ThreadLocalRandom.current().nextInt()),
                "203.0.113." + (base + 2 * slot + 1), "203.0.113." + (base + 2 * slot + 2));
        boxes.add(b);
        ip("netns", "add", b.ns());
        TestNetwork.wire(b.ns(), b.hostVeth(), b.gateway(), b.address());
        return b;
    }

    @BeforeEach
    void wire() throws Exception {
        Assumptions.assumeTrue(TestNetwork.available(), "needs root and iproute2");
        consumer = box("c", 0);
        p1 = box("p1", 1);
        p2 = box("p2", 2);
        other = box("o", 3);
        firewall = table.open(List.of(Cidr.parse("203.0.113." + base + "/28")));
        for (Box b : boxes) {
            firewall.apply(new ContainerRules(b.name(), b.hostVeth(), List.of(InetAddress.ofLiteral(b.address())), false, List.of(),
                    List.of()));
        }
        for (Box p : List.of(p1, p2)) serve(p.ns(), new InetSocketAddress(PORT), p.name(), new AtomicInteger());
        serve(consumer.ns(), new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), LOCAL), "relay", relayed);
    }

    private void serve(String ns, InetSocketAddress at, String line, AtomicInteger count) throws Exception {
        ServerSocket server = inNamespace(ns, () -> {
            var s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(at, 50);
            return s;
        });
        servers.add(server);
        // Each connection hears the server's name and the address it came from.
        Thread.ofPlatform().daemon().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    count.incrementAndGet();
                    s.getOutputStream().write((line + " " + s.getInetAddress().getHostAddress() + "\n")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                } catch (java.io.IOException e) {
                    // closed
                }
            }
        });
    }

    @AfterEach
    void unwire() throws Exception {
        table.cleanUp(() -> {
            for (ServerSocket s : servers) s.close();
            for (Box b : boxes) {
                quietly("link", "delete", b.hostVeth());
                quietly("netns", "delete", b.ns());
            }
        });
    }

    private Path netns(Box b) {
        return Path.of("/run/netns", b.ns());
    }

    private void forward(int slots, Box... producers) throws Exception {
        var paths = new ArrayList<ConnectPath>();
        var kernel = new ArrayList<InetSocketAddress>();
        for (Box p : producers) {
            paths.add(new ConnectPath(consumer.hostVeth(), consumer.v4(), p.v4(), PORT));
            kernel.add(new InetSocketAddress(p.v4(), PORT));
        }
        firewall.connects(paths);
        ConnectsTable.write(netns(consumer), "eth0", kernel.isEmpty() ? List.of() : List.of(new ConnectForward(LOCAL, slots, kernel)));
    }

    /** Packets the forward chain dropped as new connections into a container. */
    private long refusedIntoContainers() throws Exception {
        var m = java.util.regex.Pattern.compile("counter packets ([0-9]+) bytes [0-9]+ drop comment \"nothing opens a connection into a container\"")
                .matcher(table.listChain("forward"));
        long n = 0;
        while (m.find()) n += Long.parseLong(m.group(1));
        return n;
    }

    private String viaConnect() throws Exception {
        return greeting(consumer.ns(), "127.0.0.1", LOCAL);
    }

    @Test
    void theConsumerReachesTheProducersThroughTheKernelInTurnWithTheListenersTurnLeftOver() throws Exception {
        forward(3, p1, p2);

        var answers = new ArrayList<String>();
        for (int i = 0; i < 6; i++) answers.add(viaConnect());
        // Masqueraded: the producers see the consumer's own address, the listener 127.0.0.1.
        String from = " " + consumer.address();
        assertThat(answers.subList(0, 3)).containsExactlyInAnyOrder("p1" + from, "p2" + from, "relay 127.0.0.1");
        assertThat(answers.subList(3, 6)).isEqualTo(answers.subList(0, 3));
        assertThat(relayed.get()).isEqualTo(2);

        // All of them forwarded: the listener hears nothing.
        forward(2, p1, p2);
        for (int i = 0; i < 4; i++) assertThat(viaConnect()).isIn("p1" + from, "p2" + from);
        assertThat(relayed.get()).isEqualTo(2);
    }

    @Test
    void aConnectionForwardedBeforeCarriesOnOnceNothingIsForwardedAnyMore() throws Exception {
        forward(1, p1);
        String from = " " + consumer.address();
        try (var open = inNamespace(consumer.ns(), () -> new Socket(InetAddress.ofLiteral("127.0.0.1"), LOCAL))) {
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(open.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            // The path stays (the replica still runs), the rule goes: the kernel must still translate this connection.
            firewall.connects(List.of(new ConnectPath(consumer.hostVeth(), consumer.v4(), p1.v4(), PORT)));
            ConnectsTable.write(netns(consumer), "eth0", List.of());
            assertThat(in.readLine()).isEqualTo("p1" + from);
        }
        assertThat(viaConnect()).isEqualTo("relay 127.0.0.1");
    }

    @Test
    void anotherContainerAndASpoofedSourceAreRefusedAndNothingIsLeftOnceRemoved() throws Exception {
        forward(1, p1);
        assertThat(viaConnect()).isEqualTo("p1 " + consumer.address());

        // Another app's container, straight at the producer's port: its own chain refuses it.
        assertThat(greeting(other.ns(), p1.address(), PORT)).isNull();
        // The same, from the consumer's address: the path is keyed by the consumer's interface too.
        long refusedBefore = refusedIntoContainers();
        ip("-n", other.ns(), "addr", "add", consumer.address() + "/32", "dev", "eth0");
        assertThat(inNamespace(other.ns(), () -> {
            try (var s = new Socket()) {
                s.bind(new InetSocketAddress(InetAddress.ofLiteral(consumer.address()), 0));
                s.connect(new InetSocketAddress(p1.v4(), PORT), 1500);
                return "connected";
            } catch (java.io.IOException e) {
                return "refused";
            }
        })).isEqualTo("refused");
        assertThat(refusedIntoContainers()).as("dropped as a new connection into a container").isGreaterThan(refusedBefore);

        forward(1);
        assertThat(viaConnect()).as("the listener takes it all again").isEqualTo("relay 127.0.0.1");
        assertThat(greeting(consumer.ns(), p1.address(), PORT)).as("the path is closed").isNull();
        assertThat(inNamespace(consumer.ns(), () -> TestTable.nftOutput("list table ip berth_connects"))).doesNotContain("dnat ip to");
        ConnectsTable.remove(netns(consumer));
        assertThat(inNamespace(consumer.ns(), () -> TestTable.nftOutput("list tables"))).doesNotContain("berth_connects");
    }
}
