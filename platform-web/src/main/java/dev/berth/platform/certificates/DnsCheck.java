package dev.berth.platform.certificates;

import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether a host's DNS points at the edges, so an order can succeed: every address it resolves to
 * must be an edge's (a CA may pick any of them). Pure: the caller resolves.
 */
final class DnsCheck {
    private DnsCheck() {
    }

    /** Why the host's DNS does not point at the edges, or empty when it does. */
    static Optional<String> problem(String host, List<InetAddress> resolved, Set<InetAddress> edges) {
        if (resolved.isEmpty()) {
            return Optional.of("DNS has no A or AAAA record for " + host + "; point it at an edge host (edges: "
                    + names(edges) + ")");
        }
        var stray = resolved.stream().filter(a -> !edges.contains(a)).toList();
        if (stray.isEmpty()) return Optional.empty();
        return Optional.of("DNS for " + host + " points to " + names(stray) + ", not to an edge host (edges: "
                + names(edges) + ")");
    }

    private static String names(Collection<InetAddress> addresses) {
        if (addresses.isEmpty()) return "none yet";
        return addresses.stream().map(InetAddress::getHostAddress).sorted().distinct().collect(Collectors.joining(", "));
    }
}
