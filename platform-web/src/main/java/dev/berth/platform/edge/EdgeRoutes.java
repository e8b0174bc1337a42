package dev.berth.platform.edge;

import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.agent.protocol.EdgeRoute;
import dev.berth.gitsync.definition.AppDefinition;
import dev.berth.gitsync.definition.Port;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Every route the edges serve, from the replicas that are part of an assignment and what their
 * hosts report. Pure.
 *
 * <p>An app's routes are those of the newest revision among its live replicas (so a rollout that
 * changes them moves them when its first new replica is placed, and an app removed from berth.yaml,
 * whose replicas are all stopping, is served no more), plus its default host under the apps
 * domain. A route goes to the published address of each host where a replica of the app, of any
 * revision, serves the routed port: its host reports it serving, or it is healthy and its host is
 * told to let it serve (a blue-green switch: the platform's view leads its host's by a heartbeat,
 * and waiting for it would leave the route without upstreams in between). The host spreads
 * connections over its serving replicas itself and drops the draining ones, so a switch there is
 * one step too.
 */
public final class EdgeRoutes {
    private EdgeRoutes() {
    }

    /**
     * A replica that is part of its host's assignment.
     *
     * @param app {@code team/app}
     * @param serving whether its host is told to let it serve once healthy
     * @param definition its revision's definition; empty when the revision cannot be read
     */
    public record Live(long teamId, String team, String appName, String app, long revision, String hostId, String container,
                       boolean serving, Optional<AppDefinition> definition) {
    }

    /** Whether a team holds a host name now; a push checked it, but an admin may have taken the domain back since. */
    @FunctionalInterface
    public interface Ownership {
        boolean owns(long teamId, String team, String appName, String host);
    }

    /** The default route of an app: a host and the name of the port it goes to. */
    public record Default(String host, String port) {
    }

    /**
     * The routes, sorted by host and then longest path first.
     *
     * @param reported what each host last reported, by host id and container name
     * @param defaults the app's default route under the apps domain, given its team and definition; empty for none
     * @param ownership which of the routes berth.yaml names are still its team's to serve
     */
    public static List<EdgeRoute> of(List<Live> live, Map<String, Map<String, ContainerStatus>> reported,
                                     BiFunction<String, AppDefinition, Optional<Default>> defaults, Ownership ownership) {
        return of(live, reported, defaults, ownership, null);
    }

    /**
     * The routes as the edge on host {@code edgeHostId} serves them: an upstream on a loopback
     * address is only that host's own (another host's loopback is not reachable from it, and a
     * host reporting one must not point an edge at the edge's own local services); link-local,
     * unspecified and multicast addresses are never upstreams. With a null {@code edgeHostId},
     * every host's loopback upstreams are kept (what changed, for {@link EdgeWatch}).
     */
    public static List<EdgeRoute> of(List<Live> live, Map<String, Map<String, ContainerStatus>> reported,
                                     BiFunction<String, AppDefinition, Optional<Default>> defaults, Ownership ownership,
                                     String edgeHostId) {
        var byApp = new LinkedHashMap<String, List<Live>>();
        live.stream().sorted(Comparator.comparing(Live::app)).forEach(r -> byApp.computeIfAbsent(r.app(), k -> new ArrayList<>()).add(r));
        var out = new ArrayList<EdgeRoute>();
        var taken = new HashSet<String>();
        byApp.forEach((app, replicas) -> {
            var newest = replicas.stream().filter(r -> r.definition().isPresent())
                    .max(Comparator.comparingLong(Live::revision));
            if (newest.isEmpty()) return;
            var owner = newest.get();
            var definition = owner.definition().get();
            var wanted = new ArrayList<Wanted>();
            definition.routes().stream().filter(r -> ownership.owns(owner.teamId(), owner.team(), owner.appName(), r.host()))
                    .forEach(r -> wanted.add(new Wanted(r.host(), r.path(), r.port())));
            defaults.apply(owner.team(), definition).ifPresent(d -> wanted.add(new Wanted(d.host(), "/", d.port())));
            for (var w : wanted) {
                // The push check keeps a host and path to one app; should two still meet, the first app keeps it.
                if (!taken.add(w.host() + " " + w.path())) continue;
                out.add(new EdgeRoute(w.host(), w.path(), app, upstreams(replicas, w.port(), reported, edgeHostId)));
            }
        });
        out.sort(Comparator.comparing(EdgeRoute::host).thenComparing(r -> -r.path().length()).thenComparing(EdgeRoute::path));
        return out;
    }

    /** Whether an edge may be pointed at {@code address} ({@code host:port}); loopback only at its own host. */
    static boolean reachable(String address, boolean sameHost) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) return false;
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (host.equals("localhost")) return sameHost;
        InetAddress ip;
        try {
            ip = host.matches("[0-9a-fA-F:.]+") ? InetAddress.ofLiteral(host) : null;
        } catch (IllegalArgumentException e) {
            return false;
        }
        // A DNS name: the edge resolves it; what it stands for is the reporting host's word.
        if (ip == null) return true;
        if (ip.isLinkLocalAddress() || ip.isAnyLocalAddress() || ip.isMulticastAddress()) return false;
        return !ip.isLoopbackAddress() || sameHost;
    }

    private record Wanted(String host, String path, String port) {
    }

    /** The published addresses where a replica serves the port named {@code port}, each once, sorted. */
    private static List<String> upstreams(List<Live> replicas, String port, Map<String, Map<String, ContainerStatus>> reported,
                                          String edgeHostId) {
        Set<String> out = new TreeSet<>();
        for (var r : replicas) {
            var number = r.definition().flatMap(d -> d.ports().stream().filter(p -> p.name().equals(port)).findFirst())
                    .map(Port::port);
            var status = reported.getOrDefault(r.hostId(), Map.of()).get(r.container());
            if (number.isEmpty() || status == null) continue;
            boolean letIn = r.serving() && "running".equals(status.state())
                    && (status.health() == null || "healthy".equals(status.health()));
            status.published().stream().filter(p -> p.containerPort() == number.get() && (p.serving() || letIn))
                    .filter(p -> reachable(p.address(), edgeHostId == null || edgeHostId.equals(r.hostId())))
                    .forEach(p -> out.add(p.address()));
        }
        return List.copyOf(out);
    }
}
