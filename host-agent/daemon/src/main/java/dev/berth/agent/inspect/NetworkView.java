package dev.berth.agent.inspect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A live container's network as its own process sees it, read from the host: {@code /proc/PID/net}
 * shows the network namespace of that process, {@code /proc/PID/root} its filesystem.
 *
 * @param interfaces interface names
 * @param addresses its local IPv4 addresses
 * @param routes its IPv4 routes, as {@code DESTINATION/PREFIX via GATEWAY dev NAME} ({@code via} only with a gateway)
 * @param resolvers the {@code nameserver} lines of its /etc/resolv.conf
 */
public record NetworkView(List<String> interfaces, List<String> addresses, List<String> routes, List<String> resolvers) {

    public static NetworkView observe(Path proc, long pid) throws IOException {
        Path p = proc.resolve(Long.toString(pid));
        Path resolv = p.resolve("root/etc/resolv.conf");
        return new NetworkView(interfaces(Files.readString(p.resolve("net/dev"))),
                localAddresses(Files.readString(p.resolve("net/fib_trie"))),
                routes(Files.readString(p.resolve("net/route"))),
                Files.isReadable(resolv) ? nameservers(Files.readString(resolv)) : List.of());
    }

    /** The interface names of {@code /proc/net/dev} (two header lines, then {@code NAME: counters}), sorted. */
    static List<String> interfaces(String netDev) {
        var out = new TreeSet<String>();
        for (String line : netDev.lines().toList()) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.contains("|")) out.add(line.substring(0, colon).strip());
        }
        return List.copyOf(out);
    }

    /** The addresses {@code /proc/net/fib_trie} marks {@code /32 host LOCAL}: the ones the namespace owns, sorted. */
    static List<String> localAddresses(String fibTrie) {
        var out = new TreeSet<String>();
        String last = null;
        for (String line : fibTrie.lines().toList()) {
            String t = line.strip();
            if (t.startsWith("|--")) {
                last = t.substring(3).strip();
            } else if (t.equals("/32 host LOCAL") && last != null) {
                out.add(last);
            }
        }
        return List.copyOf(out);
    }

    /** The routes of {@code /proc/net/route}, whose addresses are little-endian hex. */
    static List<String> routes(String route) {
        var out = new ArrayList<String>();
        for (String line : route.lines().skip(1).toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 8) continue;
            String destination = ipv4(f[1]);
            int prefix = Integer.bitCount((int) Long.parseLong(f[7], 16));
            String gateway = ipv4(f[2]);
            out.add(destination + "/" + prefix + (gateway.equals("0.0.0.0") ? "" : " via " + gateway) + " dev " + f[0]);
        }
        return out;
    }

    static List<String> nameservers(String resolvConf) {
        var out = new ArrayList<String>();
        for (String line : resolvConf.lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 2 && f[0].equals("nameserver")) out.add(f[1]);
        }
        return out;
    }

    private static String ipv4(String littleEndianHex) {
        long v = Long.parseLong(littleEndianHex, 16);
        return (v & 0xff) + "." + (v >> 8 & 0xff) + "." + (v >> 16 & 0xff) + "." + (v >> 24 & 0xff);
    }
}
