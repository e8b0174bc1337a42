package dev.berth.agent.firewall;

import dev.berth.agent.sys.SyscallPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A container and "the internet" as two network namespaces this test creates, wired the way CNI's
 * ptp plugin wires a container: a veth whose host side ({@code veth<8 hex>}) holds the gateway
 * address, the container's /32 routed to it, the container's default route via the gateway.
 * "The internet" is a namespace at TEST-NET-3 behind a second veth. Addresses come from slots of
 * 198.51.100.32-.63 and 203.0.113.0-.15 picked at random; a policy-routing rule sends
 * everything from the container's address into the internet namespace, so a packet the firewall
 * wrongly lets through never leaves the machine. {@link #close} removes all of it.
 */
final class TestNetwork implements AutoCloseable {
    private static final Path IP = Path.of("/usr/sbin/ip");

    final String suffix = Long.toString(ThreadLocalRandom.current().nextLong(1L << 25, 1L << 30), 36);
    final String containerNs = "berthfw-" + suffix + "-c";
    final String internetNs = "berthfw-" + suffix + "-i";
    final String hostVeth = "veth" + String.format("%08x", ThreadLocalRandom.current().nextInt());
    final String internetVeth = "bfi" + suffix;
    // Slots apart from what the agent's other network tests use (CNI tests take the low end of
    // 198.51.100.0/24, the daemon's tests 198.51.100.64 and up and 203.0.113.16 and up).
    private final int slot = 32 + 4 * ThreadLocalRandom.current().nextInt(8);
    private final int internetSlot = 4 * ThreadLocalRandom.current().nextInt(4);
    private final int routeTable = 20000 + ThreadLocalRandom.current().nextInt(10000);
    final String subnet = "198.51.100." + slot + "/30";
    final String gateway = "198.51.100." + (slot + 1);
    final String container = "198.51.100." + (slot + 2);
    final String internetGateway = "203.0.113." + (internetSlot + 1);
    final String internet = "203.0.113." + (internetSlot + 2);
    private final List<ServerSocket> servers = new ArrayList<>();
    private boolean ruleAdded;

    static boolean available() {
        return Files.isExecutable(IP) && "root".equals(System.getProperty("user.name"));
    }

    TestNetwork() throws Exception {
        try {
            ip("netns", "add", containerNs);
            ip("netns", "add", internetNs);
            // The container as ptp leaves it, and the internet the same way.
            wire(containerNs, hostVeth, gateway, container);
            wire(internetNs, internetVeth, internetGateway, internet);
            // Whatever the container sends beyond the host lands in the internet namespace.
            ip("route", "add", "default", "dev", internetVeth, "table", Integer.toString(routeTable));
            ip("rule", "add", "from", container + "/32", "lookup", Integer.toString(routeTable), "pref", Integer.toString(routeTable));
            ruleAdded = true;
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** A veth from the host into {@code ns}: each side a /32, routed to the other, the namespace's default via the host. */
    static void wire(String ns, String hostSide, String hostAddress, String nsAddress) throws Exception {
        ip("link", "add", hostSide, "type", "veth", "peer", "name", "eth0", "netns", ns);
        ip("addr", "add", hostAddress + "/32", "dev", hostSide);
        ip("link", "set", hostSide, "up");
        ip("route", "add", nsAddress + "/32", "dev", hostSide);
        ip("-n", ns, "link", "set", "lo", "up");
        ip("-n", ns, "addr", "add", nsAddress + "/32", "dev", "eth0");
        ip("-n", ns, "link", "set", "eth0", "up");
        ip("-n", ns, "route", "add", hostAddress + "/32", "dev", "eth0", "scope", "link");
        ip("-n", ns, "route", "add", "default", "via", hostAddress, "dev", "eth0");
    }

    /** A TCP server in the internet namespace: each connection gets "ok" and is closed. */
    void serveInInternet(int port) throws Exception {
        serve(inNamespace(internetNs, () -> new ServerSocket(port, 50, InetAddress.ofLiteral(internet))));
    }

    /** A TCP server in the container namespace. */
    void serveInContainer(int port) throws Exception {
        serve(inNamespace(containerNs, () -> new ServerSocket(port, 50, InetAddress.ofLiteral(container))));
    }

    /** A TCP server on the host itself, at {@code address}. */
    void serveOnHost(String address, int port) throws Exception {
        serve(new ServerSocket(port, 50, InetAddress.ofLiteral(address)));
    }

    private void serve(ServerSocket server) {
        servers.add(server);
        Thread.ofPlatform().daemon().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write("ok".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // closed
                }
            }
        });
    }

    /** Whether the container reaches {@code address:port} and hears "ok" within two seconds. */
    boolean containerReaches(String address, int port) throws Exception {
        return reaches(containerNs, address, port);
    }

    /** Whether the container gets an answer to an ICMP echo (the JDK pings when it runs as root). */
    boolean containerPings(String address) throws Exception {
        return inNamespace(containerNs, () -> InetAddress.ofLiteral(address).isReachable(2000));
    }

    /** Whether a client in the internet namespace reaches {@code address:port}. */
    boolean internetReaches(String address, int port) throws Exception {
        return reaches(internetNs, address, port);
    }

    static boolean reaches(String ns, String address, int port) throws Exception {
        return inNamespace(ns, () -> {
            try (var s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.ofLiteral(address), port), 2000);
                s.setSoTimeout(2000);
                return new String(s.getInputStream().readNBytes(2), StandardCharsets.US_ASCII).equals("ok");
            } catch (IOException e) {
                return false;
            }
        });
    }

    /**
     * Runs every probe at once and returns the names of those that got through, in the given order.
     * A refused probe waits out its whole timeout; one after another, a test's refusals added up to
     * tens of seconds of waiting. Each probe still runs exactly as it would alone.
     */
    static List<String> reached(Map<String, Callable<Boolean>> probes) throws Exception {
        var running = new LinkedHashMap<String, FutureTask<Boolean>>();
        probes.forEach((name, probe) -> {
            var task = new FutureTask<>(probe);
            Thread.ofPlatform().daemon().name("probe-" + name).start(task);
            running.put(name, task);
        });
        var through = new ArrayList<String>();
        for (var entry : running.entrySet()) {
            try {
                if (entry.getValue().get(60, TimeUnit.SECONDS)) through.add(entry.getKey());
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception x ? x : e;
            }
        }
        return through;
    }

    /** Runs {@code work} on a thread of its own that has entered the namespace (sockets belong to their thread's namespace). */
    static <T> T inNamespace(String ns, Callable<T> work) throws Exception {
        var task = new FutureTask<>(() -> {
            SyscallPort.enterNamespace(Path.of("/run/netns", ns), SyscallPort.CLONE_NEWNET);
            return work.call();
        });
        Thread.ofPlatform().daemon().name("netns-" + ns).start(task);
        try {
            return task.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    @Override
    public void close() throws Exception {
        for (ServerSocket s : servers) s.close();
        if (ruleAdded) quietly("rule", "del", "from", container + "/32", "lookup", Integer.toString(routeTable));
        quietly("route", "flush", "table", Integer.toString(routeTable));
        // Deleting a namespace deletes the veth ends inside it and so their host ends, routes and addresses.
        quietly("link", "delete", hostVeth);
        quietly("link", "delete", internetVeth);
        quietly("netns", "delete", containerNs);
        quietly("netns", "delete", internetNs);
    }

    /** Runs ip, whatever comes of it (for cleaning up). */
    static void quietly(String... args) throws Exception {
        run(args);
    }

    /** Runs ip; what it printed, or an exception with what it printed when it failed. */
    static String ip(String... args) throws Exception {
        String[] result = run(args);
        if (result[0] != null) throw new IllegalStateException("ip " + String.join(" ", args) + ": " + result[0]);
        return result[1];
    }

    /** Runs ip: {failure or null, output}. */
    private static String[] run(String... args) throws Exception {
        var command = new ArrayList<>(List.of(IP.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new String[] {"timed out", out};
        }
        return new String[] {p.exitValue() == 0 ? null : out, out};
    }
}
