package dev.berth.agent.firewall;

import static dev.berth.agent.firewall.TestNetwork.inNamespace;
import static dev.berth.agent.firewall.TestNetwork.ip;
import static dev.berth.agent.firewall.TestNetwork.quietly;
import static dev.berth.agent.firewall.TestNetwork.wire;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two containers of the subnet 198.51.100.0/28, wired like CNI ptp, each serving TCP on
 * 0.0.0.0:{@link #PORT} (every connection hears "NAME PEER-ADDRESS" then gets its lines echoed),
 * and "another host" as a namespace at 203.0.113.233/.234 whose packets arrive on a veth of the
 * host. Nothing is routed anywhere else. Names start with {@code bfwd-}/{@code bfd}; {@link #close}
 * removes all of it.
 */
public final class ForwardNetwork implements AutoCloseable {
    public static final String SUBNET = "198.51.100.0/28";
    public static final int PORT = 8080;
    public static final String HOST_SIDE = "203.0.113.233";
    public static final String CLIENT = "203.0.113.234";

    /** One container namespace: its host-side veth holds the gateway address. */
    public record Container(String name, String ns, String hostVeth, String gateway, String address) {
        public Path netns() {
            return Path.of("/run/netns", ns);
        }
    }

    private final String suffix = Long.toString(ThreadLocalRandom.current().nextLong(1L << 25, 1L << 30), 36);
    public final Container a = new Container("fwd-a", "bfwd-" + suffix + "-a", "veth" + hex(), "198.51.100.1", "198.51.100.2");
    public final Container b = new Container("fwd-b", "bfwd-" + suffix + "-b", "veth" + hex(), "198.51.100.3", "198.51.100.4");
    public final String clientNs = "bfwd-" + suffix + "-h";
    private final String clientVeth = "bfd" + suffix;
    private final List<AutoCloseable> servers = new ArrayList<>();
    private final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();

    private static String hex() {
        return String.format("%08x", ThreadLocalRandom.current().nextInt());
    }

    public static boolean available() {
        return TestNetwork.available();
    }

    public ForwardNetwork() throws Exception {
        try {
            for (String ns : List.of(a.ns, b.ns, clientNs)) ip("netns", "add", ns);
            wire(a.ns, a.hostVeth, a.gateway, a.address);
            wire(b.ns, b.hostVeth, b.gateway, b.address);
            wire(clientNs, clientVeth, HOST_SIDE, CLIENT);
            for (Container c : List.of(a, b)) serve(c);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    private void serve(Container c) throws Exception {
        serve(c, new InetSocketAddress(PORT));
    }

    /** Another server of the same kind in the container, on {@code 127.0.0.1:port} alone (an app that listens on loopback only). */
    public void serveOnLoopbackOnly(Container c, int port) throws Exception {
        serve(c, new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), port));
    }

    private void serve(Container c, InetSocketAddress bind) throws Exception {
        ServerSocket server = inNamespace(c.ns, () -> {
            var s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(bind, 200);
            return s;
        });
        servers.add(server);
        AtomicInteger count = accepted.computeIfAbsent(c.name, k -> new AtomicInteger());
        Thread.ofPlatform().daemon().name("serve-" + c.name).start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    count.incrementAndGet();
                    Thread.ofPlatform().daemon().start(() -> echo(c.name, s));
                } catch (IOException e) {
                    // closed
                }
            }
        });
    }

    private static void echo(String name, Socket s) {
        try (s; var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
            OutputStream out = s.getOutputStream();
            out.write((name + " " + s.getInetAddress().getHostAddress() + "\n").getBytes(StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the client went away
        }
    }

    /** Connections the container's server accepted. */
    public int accepted(Container c) {
        return accepted.get(c.name).get();
    }

    /** The greeting of a server reached at {@code address:port} from the host (ns null) or a namespace; null when none answered. */
    public static String greeting(String ns, String address, int port) throws Exception {
        java.util.concurrent.Callable<String> ask = () -> {
            try (var s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.ofLiteral(address), port), 2000);
                s.setSoTimeout(3000);
                return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                return null;
            }
        };
        return ns == null ? ask.call() : inNamespace(ns, ask);
    }

    /** A client loop's answers, and how many had come when the change was made. */
    public record Switched(List<String> answers, int at) {
        /** The answers well after the change (connections in flight at that instant may go either way). */
        public List<String> after() {
            return answers.subList(Math.min(answers.size(), at + 2), answers.size());
        }
    }

    /**
     * Greetings from the host at {@code address:port} in a loop, one connection each: twenty
     * before {@code change}, twenty after. A connection that gets no answer is recorded as "null".
     */
    public static Switched askAcross(String address, int port, java.util.concurrent.Callable<?> change) throws Exception {
        var answers = new java.util.concurrent.CopyOnWriteArrayList<String>();
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread client = Thread.ofPlatform().start(() -> {
            try {
                while (!stop.get()) answers.add(String.valueOf(greeting(null, address, port)));
            } catch (Exception e) {
                answers.add("failed: " + e);
            }
        });
        try {
            while (answers.size() < 20) Thread.sleep(5);
            change.call();
            int at = answers.size();
            while (answers.size() < at + 20) Thread.sleep(5);
            return new Switched(List.copyOf(answers), at);
        } finally {
            stop.set(true);
            client.join();
        }
    }

    /** Serves {@code line} to every connection {@code server} accepts, counting them, until it is closed. */
    public static void answer(ServerSocket server, String line, AtomicInteger count) {
        Thread.ofPlatform().daemon().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    count.incrementAndGet();
                    s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // closed
                }
            }
        });
    }

    /** Sets {@code route_localnet} on the container's own interface ({@code eth0} in its namespace). */
    public void routeLocalnetInside(Container c) throws Exception {
        inNamespace(c.ns, () -> Files.writeString(Path.of("/proc/sys/net/ipv4/conf/eth0/route_localnet"), "1\n"));
    }

    /** Sends the container's packets for {@code loopback} (a 127/8 address) out of its interface to the host. */
    public void routeLoopbackToHost(Container c, String loopback) throws Exception {
        routeLocalnetInside(c);
        ip("-n", c.ns, "route", "del", "local", "127.0.0.0/8", "dev", "lo", "table", "local");
        ip("-n", c.ns, "route", "add", loopback + "/32", "via", c.gateway, "dev", "eth0");
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable s : servers) s.close();
        for (String link : List.of(a.hostVeth, b.hostVeth, clientVeth)) quietly("link", "delete", link);
        for (String ns : List.of(a.ns, b.ns, clientNs)) quietly("netns", "delete", ns);
    }
}
