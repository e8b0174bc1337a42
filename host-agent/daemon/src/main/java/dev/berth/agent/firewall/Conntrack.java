package dev.berth.agent.firewall;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The connections a published port forwarded to a container, as the kernel's connection tracking
 * lists them ({@code /proc/net/nf_conntrack}): they never pass the agent, so this is where a
 * draining container's open connections are counted.
 */
public final class Conntrack {
    private static final Path TABLE = Path.of("/proc/net/nf_conntrack");
    /** TCP states of a connection that is over, whatever its entry's remaining time. */
    private static final Set<String> OVER = Set.of("TIME_WAIT", "CLOSE");

    private Conntrack() {
    }

    /** Open TCP connections forwarded to {@code backend}; 0 when connection tracking cannot be read. */
    public static int forwardedTo(InetSocketAddress backend) {
        return fromTable(listing -> forwardedTo(listing, backend));
    }

    /**
     * Open TCP connections addressed to {@code backend} itself, as the host's connection tracking
     * sees the connects the consumers' namespaces DNAT'ed (for the host they are not NAT'ed); 0
     * when connection tracking cannot be read.
     */
    public static int addressedTo(InetSocketAddress backend) {
        return fromTable(listing -> addressedTo(listing, backend));
    }

    private static int fromTable(java.util.function.ToIntFunction<String> count) {
        try {
            return Files.isReadable(TABLE) ? count.applyAsInt(Files.readString(TABLE)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Counts the open TCP connections of a listing whose original destination is {@code backend}. */
    static int addressedTo(String listing, InetSocketAddress backend) {
        String address = backend.getAddress().getHostAddress();
        String port = Integer.toString(backend.getPort());
        return openTcp(listing, f -> {
            String originalDst = value(f, "dst=", 1);
            return originalDst != null && sameAddress(originalDst, address) && port.equals(value(f, "dport=", 1));
        });
    }

    /** How many open TCP connections of a listing (its lines split into fields) {@code counted} accepts. */
    private static int openTcp(String listing, java.util.function.Predicate<String[]> counted) {
        int n = 0;
        for (String line : listing.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6 && f[2].equals("tcp") && !OVER.contains(f[5]) && counted.test(f)) n++;
        }
        return n;
    }

    /**
     * Counts the lines of a conntrack listing that are open TCP connections whose reply comes from
     * {@code backend} while their original destination was another address (they were DNAT'ed).
     */
    static int forwardedTo(String listing, InetSocketAddress backend) {
        String address = backend.getAddress().getHostAddress();
        String port = Integer.toString(backend.getPort());
        return openTcp(listing, f -> {
            String originalDst = value(f, "dst=", 1);
            return address.equals(value(f, "src=", 2)) && port.equals(value(f, "sport=", 2)) && originalDst != null
                    && !sameAddress(originalDst, address);
        });
    }

    /** The {@code nth} value of a {@code key=value} field of a line, null when there are fewer. */
    private static String value(String[] fields, String key, int nth) {
        int seen = 0;
        for (String field : fields) {
            if (field.startsWith(key) && ++seen == nth) return field.substring(key.length());
        }
        return null;
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return InetAddress.ofLiteral(a).equals(InetAddress.ofLiteral(b));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
