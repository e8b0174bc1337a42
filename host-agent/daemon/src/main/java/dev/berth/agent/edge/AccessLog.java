package dev.berth.agent.edge;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Caddy's JSON access entries of HTTPS requests, each attributed to the app whose route served
 * it (the same longest-prefix match as the routes), kept per app in a bounded buffer and counted
 * per app. Pure: lines come in through {@link #accept}; entries for no route (paths no route of
 * their host covers) are counted as unattributed and not kept.
 */
public final class AccessLog implements AppTraffic {
    /** Entries kept per app. */
    public static final int PER_APP = 1000;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Map<String, ArrayDeque<AccessEntry>> recent = new HashMap<>();
    private final Map<String, long[]> counts = new HashMap<>();
    private long unattributed;
    private long unreadable;

    /** Parses one line of the access log and keeps it for its app; false when it is no access entry or serves no route. */
    synchronized boolean accept(String line, RouteTable routes) {
        return take(line, routes).isPresent();
    }

    /** As {@link #accept}, returning the entry kept, with its app. */
    synchronized Optional<AccessEntry> take(String line, RouteTable routes) {
        var parsed = parse(line);
        if (parsed.isEmpty()) {
            unreadable++;
            return Optional.empty();
        }
        var e = parsed.get();
        var route = routes.match(e.host(), e.path());
        if (route.isEmpty()) {
            unattributed++;
            return Optional.empty();
        }
        String app = route.get().app();
        var entry = new AccessEntry(e.time(), app, e.host(), e.method(), e.path(), e.status(), e.duration(), e.bytes());
        var buffer = recent.computeIfAbsent(app, a -> new ArrayDeque<>());
        if (buffer.size() == PER_APP) buffer.removeFirst();
        buffer.addLast(entry);
        var c = counts.computeIfAbsent(app, a -> new long[3]);
        c[0]++;
        if (entry.status() >= 500) c[1]++;
        c[2] += entry.bytes();
        return Optional.of(entry);
    }

    /** One access entry of Caddy 2.6 (app not yet known); empty when the line is not one. */
    static Optional<AccessEntry> parse(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JacksonException e) {
            return Optional.empty();
        }
        if (node == null || !node.isObject()) return Optional.empty();
        var request = node.get("request");
        if (request == null || !request.isObject() || !node.hasNonNull("status")
                || !node.hasNonNull("ts")) {
            return Optional.empty();
        }
        String uri = request.path("uri").asString("");
        int query = uri.indexOf('?');
        String path = query >= 0 ? uri.substring(0, query) : uri;
        long nanos = (long) (node.path("duration").asDouble(0) * 1e9);
        double ts = node.get("ts").asDouble();
        var time = Instant.ofEpochSecond((long) Math.floor(ts), (long) ((ts - Math.floor(ts)) * 1e9));
        return Optional.of(new AccessEntry(time, null, request.path("host").asString(""), request.path("method").asString(""),
                path, node.get("status").asInt(), Duration.ofNanos(Math.max(0, nanos)), Math.max(0, node.path("size").asLong(0))));
    }

    @Override
    public synchronized Map<String, Counts> counts() {
        var out = new TreeMap<String, Counts>();
        counts.forEach((app, c) -> out.put(app, new Counts(c[0], c[1], c[2])));
        return out;
    }

    @Override
    public synchronized List<AccessEntry> recent(String app) {
        var buffer = recent.get(app);
        return buffer == null ? List.of() : List.copyOf(buffer);
    }

    /** Entries that served no route, and lines that were no access entry. */
    public synchronized long unattributed() {
        return unattributed + unreadable;
    }
}
