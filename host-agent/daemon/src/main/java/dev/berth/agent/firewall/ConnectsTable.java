package dev.berth.agent.firewall;

import dev.berth.agent.sys.NamespaceThread;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's own small table inside a consumer container's network namespace ({@code ip
 * berth_connects}): the kernel forwards the container's {@code connects} to replicas on this host
 * (see {@link ConnectForward}), so their bytes never cross the agent. The container has no
 * {@code CAP_NET_ADMIN} in its namespace and cannot change it. Its rules are written whole in one
 * transaction: a new connection sees the old rules or the new ones, and connections already
 * DNAT'ed carry on through conntrack. Its nat chains stay while connections may be open (without
 * a nat chain in a namespace the kernel stops translating them), so a table with nothing left to
 * forward keeps them, and only a namespace that never had one is cleared ({@link #remove}). The host's forward chain must let the paths through ({@link Firewall#connects}).
 *
 * <p>The app's socket is bound to 127.0.0.1: {@code route_localnet} on the container's interface
 * lets such a packet out once DNAT'ed, masquerade gives it the container's address, and a filter
 * after that drops any other 127.0.0.0/8 packet that would leave through the interface.
 */
public final class ConnectsTable {
    static final String TABLE = "ip berth_connects";
    /** Deletes the table whether it exists or not. */
    static final String REMOVE = "add table " + TABLE + "\ndelete table " + TABLE + "\n";
    private static final Path NFT = Path.of("/usr/sbin/nft");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static volatile Nft nft;

    private ConnectsTable() {
    }

    /**
     * Makes the table of the namespace {@code netns} ({@code /proc/PID/ns/net}) forward exactly
     * {@code forwards} (none: its chains stay, for connections forwarded before). From a
     * short-lived platform thread that enters the namespace (never reused outside it), as
     * nftables and {@code /proc/sys} answer for the namespace of the thread that asks.
     *
     * @param containerInterface the container's side of its veth, inside the namespace
     */
    public static void write(Path netns, String containerInterface, List<ConnectForward> forwards) throws IOException {
        Path localnet = Path.of("/proc/sys/net/ipv4/conf", TableObjects.hostInterface(containerInterface), "route_localnet");
        inside(netns, () -> {
            if (!Files.exists(localnet)) throw new IOException("no interface " + containerInterface + " inside " + netns);
            Files.writeString(localnet, "1\n");
            nft().apply(script(forwards));
        });
    }

    /** Deletes the table of {@code netns} if it has one (a namespace this agent has not forwarded anything in yet). */
    public static void remove(Path netns) throws IOException {
        inside(netns, () -> nft().apply(REMOVE));
    }

    private interface Work {
        void run() throws IOException;
    }

    private static void inside(Path netns, Work work) throws IOException {
        try {
            NamespaceThread.call(netns, "netns-connects", () -> {
                work.run();
                return null;
            });
        } catch (IOException | RuntimeException e) {
            throw new IOException("connects inside " + netns + ": " + e.getMessage(), e);
        }
    }

    /**
     * The one transaction that leaves the table holding {@code forwards}, its chains even with
     * none: they are made if missing and emptied, never deleted, so the kernel keeps translating
     * the connections it forwarded. Pure.
     */
    static String script(List<ConnectForward> forwards) {
        var lines = new ArrayList<String>();
        lines.add("add table " + TABLE);
        lines.add("add chain " + TABLE + " output { type nat hook output priority -100; policy accept; }");
        lines.add("add chain " + TABLE + " postrouting { type nat hook postrouting priority srcnat; policy accept; }");
        lines.add("add chain " + TABLE + " leak { type filter hook postrouting priority 200; policy accept; }");
        lines.add("flush table " + TABLE);
        for (ConnectForward f : forwards) {
            var entries = new ArrayList<String>();
            for (int i = 0; i < f.kernel().size(); i++) {
                entries.add(i + " : " + FirewallRules.address(f.kernel().get(i).getAddress()) + " . " + f.kernel().get(i).getPort());
            }
            // Turns without an element find no mapping: the packet stays as it is and reaches the agent's listener.
            lines.add("add rule " + TABLE + " output ip daddr 127.0.0.1 tcp dport " + f.local() + " counter dnat ip to numgen inc mod "
                    + f.slots() + " map { " + String.join(", ", entries) + " } comment \"connect " + f.local() + "\"");
        }
        lines.add("add rule " + TABLE + " postrouting oifname != \"lo\" ct status dnat ip saddr 127.0.0.0/8 masquerade"
                + " comment \"a connect leaves with the container's address\"");
        lines.add("add rule " + TABLE + " leak oifname != \"lo\" ip saddr 127.0.0.0/8 counter drop"
                + " comment \"no other loopback packet leaves\"");
        return String.join("\n", lines) + "\n";
    }

    private static Nft nft() {
        Nft n = nft;
        if (n == null) nft = n = new Nft(NFT, TIMEOUT);
        return n;
    }
}
