package dev.berth.agent.edge;

import dev.berth.agent.protocol.EdgeRoute;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The routes of an edge in the order Caddy tries them: by host, and per host the longest path
 * first. The same order attributes access log entries to apps, so a request is counted for the
 * app whose route served it. Paths match whole segments and, as Caddy's path matcher does,
 * without regard to case.
 */
record RouteTable(List<EdgeRoute> ordered) {
    private static final Comparator<EdgeRoute> ORDER = Comparator.comparing(EdgeRoute::host)
            .thenComparing(Comparator.comparingInt((EdgeRoute r) -> r.path().length()).reversed())
            .thenComparing(EdgeRoute::path);

    RouteTable {
        ordered = ordered.stream().sorted(ORDER).toList();
    }

    static RouteTable of(List<EdgeRoute> routes) {
        return new RouteTable(routes);
    }

    /** The hosts that have routes, sorted, each once. */
    List<String> hosts() {
        var hosts = new ArrayList<String>();
        for (EdgeRoute r : ordered) if (hosts.isEmpty() || !hosts.getLast().equals(r.host())) hosts.add(r.host());
        return hosts;
    }

    /** The route that serves {@code path} (no query) on {@code host} (a port after it is ignored). */
    Optional<EdgeRoute> match(String host, String path) {
        String name = withoutPort(host).toLowerCase(Locale.ROOT);
        for (EdgeRoute r : ordered) {
            if (r.host().equals(name) && covers(r.path(), path)) return Optional.of(r);
        }
        return Optional.empty();
    }

    /** {@code /api} covers {@code /api} and {@code /api/...}, never {@code /apiary}; {@code /} covers every path. */
    static boolean covers(String prefix, String path) {
        if (prefix.equals("/")) return true;
        if (path.length() < prefix.length() || !path.regionMatches(true, 0, prefix, 0, prefix.length())) return false;
        return path.length() == prefix.length() || path.charAt(prefix.length()) == '/';
    }

    private static String withoutPort(String host) {
        if (host == null) return "";
        int colon = host.lastIndexOf(':');
        return colon > 0 && !host.endsWith("]") && host.indexOf(':') == colon ? host.substring(0, colon) : host;
    }
}
