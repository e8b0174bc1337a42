package dev.berth.agent.firewall;

import static dev.berth.agent.firewall.TestNetwork.inNamespace;
import static dev.berth.agent.firewall.TestNetwork.ip;
import static dev.berth.agent.firewall.TestNetwork.quietly;
import static dev.berth.agent.firewall.TestNetwork.wire;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two containers of one agent subnet (198.51.100.16/28), wired like CNI ptp, and "the internet"
 * as a namespace that also holds 169.254.169.254 and 10.99.0.7 as /32s, plus a link of its own on
 * the host with 192.0.2.77 (public, so only the input chain keeps containers from it). Those two addresses are real elsewhere on this machine, so before any
 * packet is sent a policy-routing rule per container sends everything that is not for the host
 * itself or the other container into the test's internet namespace, and the constructor checks
 * the kernel routes both addresses there. Every server counts what arrives, so a leak shows as
 * an arrival rather than as silence. {@link #close} removes all of it.
 */
final class GuardedNetwork implements AutoCloseable {
    static final String METADATA = "169.254.169.254";
    static final String PRIVATE = "10.99.0.7";
    static final String HOST_EXTRA = "192.0.2.77";
    static final String SUBNET = "198.51.100.16/28";

    final String suffix = Long.toString(ThreadLocalRandom.current().nextLong(1L << 25, 1L << 30), 36);
    final Container a = new Container("bguard-" + suffix + "-a", "veth" + hex(), "198.51.100.17", "198.51.100.18");
    final Container b = new Container("bguard-" + suffix + "-b", "veth" + hex(), "198.51.100.21", "198.51.100.22");
    final String internetNs = "bguard-" + suffix + "-i";
    final String internetVeth = "bgi" + suffix;
    final String internetGateway = "203.0.113.241";
    final String internet = "203.0.113.242";
    final String dummy = "bfwdum" + suffix;
    // Preference and table number: below 32766 (the main table), apart from the other tests' 20000-29999.
    private final String table = Integer.toString(15000 + ThreadLocalRandom.current().nextInt(1000));
    private final List<AutoCloseable> servers = new ArrayList<>();
    private final Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
    private final List<String> rules = new ArrayList<>();

    /** One container namespace: its host-side veth holds the gateway address. */
    record Container(String ns, String hostVeth, String gateway, String address) {
    }

    private static String hex() {
        return String.format("%08x", ThreadLocalRandom.current().nextInt());
    }

    GuardedNetwork() throws Exception {
        try {
            for (String ns : List.of(a.ns, b.ns, internetNs)) ip("netns", "add", ns);
            wire(a.ns, a.hostVeth, a.gateway, a.address);
            wire(b.ns, b.hostVeth, b.gateway, b.address);
            wire(internetNs, internetVeth, internetGateway, internet);
            ip("-n", internetNs, "addr", "add", METADATA + "/32", "dev", "eth0");
            ip("-n", internetNs, "addr", "add", PRIVATE + "/32", "dev", "eth0");
            // The kernel here has no dummy links: a veth pair whose both ends stay on the host does the same.
            ip("link", "add", dummy, "type", "veth", "peer", "name", dummy + "p");
            ip("addr", "add", HOST_EXTRA + "/32", "dev", dummy);
            ip("link", "set", dummy, "up");
            // The test's table: the two containers, and everything else into the internet namespace.
            ip("route", "add", "default", "dev", internetVeth, "table", table);
            ip("route", "add", a.address + "/32", "dev", a.hostVeth, "table", table);
            ip("route", "add", b.address + "/32", "dev", b.hostVeth, "table", table);
            for (Container c : List.of(a, b)) {
                ip("rule", "add", "from", c.address + "/32", "lookup", table, "pref", table);
                rules.add(c.address);
            }
            for (Container c : List.of(a, b)) {
                for (String guarded : List.of(METADATA, PRIVATE, internet)) {
                    String route = ip("route", "get", guarded, "from", c.address, "iif", c.hostVeth);
                    if (!route.contains("dev " + internetVeth)) {
                        throw new IllegalStateException("refusing to send: " + guarded + " from " + c.address + " routes " + route);
                    }
                }
            }
        } catch (Exception e) {
            close();
            throw e;
        }
    }


    /** TCP and UDP servers at {@code address:port} in namespace {@code ns} (null: the host); returns the port. */
    int serve(String ns, String address, int port) throws Exception {
        Callable<ServerSocket> tcp = () -> new ServerSocket(port, 50, InetAddress.ofLiteral(address));
        ServerSocket server = ns == null ? tcp.call() : inNamespace(ns, tcp);
        int bound = server.getLocalPort();
        Callable<DatagramSocket> udp = () -> new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral(address), bound));
        DatagramSocket datagrams = ns == null ? udp.call() : inNamespace(ns, udp);
        servers.add(server);
        servers.add(datagrams);
        AtomicInteger tcpArrivals = counter("tcp", address, bound);
        AtomicInteger udpArrivals = counter("udp", address, bound);
        Thread.ofPlatform().daemon().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    tcpArrivals.incrementAndGet();
                    s.getOutputStream().write("ok".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // closed
                }
            }
        });
        Thread.ofPlatform().daemon().start(() -> {
            var packet = new DatagramPacket(new byte[512], 512);
            while (!datagrams.isClosed()) {
                try {
                    datagrams.receive(packet);
                    udpArrivals.incrementAndGet();
                    datagrams.send(new DatagramPacket("ok".getBytes(StandardCharsets.US_ASCII), 2, packet.getSocketAddress()));
                } catch (IOException e) {
                    // closed
                }
            }
        });
        return bound;
    }

    private AtomicInteger counter(String protocol, String address, int port) {
        return arrivals.computeIfAbsent(protocol + " " + address + ":" + port, k -> new AtomicInteger());
    }

    /** How many TCP connections or UDP datagrams the server at {@code address:port} received. */
    int arrived(String protocol, String address, int port) {
        AtomicInteger n = arrivals.get(protocol + " " + address + ":" + port);
        if (n == null) throw new IllegalArgumentException("no server at " + protocol + " " + address + ":" + port);
        return n.get();
    }

    /** Whether a TCP client in {@code from} reaches {@code address:port} and hears "ok". */
    static boolean tcp(String from, String address, int port) throws Exception {
        return TestNetwork.reaches(from, address, port);
    }

    /** Whether a datagram from {@code from} to {@code address:port} gets "ok" back within 1.5 s. */
    static boolean udp(String from, String address, int port) throws Exception {
        return inNamespace(from, () -> {
            try (var s = new DatagramSocket()) {
                s.setSoTimeout(1500);
                s.send(new DatagramPacket("hi".getBytes(StandardCharsets.US_ASCII), 2, InetAddress.ofLiteral(address), port));
                var reply = new DatagramPacket(new byte[16], 16);
                s.receive(reply);
                return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII).equals("ok");
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** Whether an ICMP echo from {@code from} is answered (the JDK pings when it runs as root). */
    static boolean ping(String from, String address) throws Exception {
        return inNamespace(from, () -> InetAddress.ofLiteral(address).isReachable(1500));
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable s : servers) s.close();
        for (String from : rules) quietly("rule", "del", "from", from + "/32", "lookup", table);
        quietly("route", "flush", "table", table);
        quietly("link", "delete", dummy);
        for (String link : List.of(a.hostVeth, b.hostVeth, internetVeth)) quietly("link", "delete", link);
        for (String ns : List.of(a.ns, b.ns, internetNs)) quietly("netns", "delete", ns);
    }
}
