package dev.berth.platform.deployments;

import dev.berth.agent.protocol.ConnectGrant;
import dev.berth.agent.protocol.ConnectTarget;
import dev.berth.gitsync.definition.AppDefinition;
import dev.berth.gitsync.definition.Network;
import dev.berth.gitsync.definition.Port;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * App-to-app connects as a host's assignment carries them, and which hosts hear of a change. An
 * app connects only to apps of its own team ({@code connects: [{app, port, local}]} in
 * berth.yaml); a producer's replica is a backend while it takes traffic (its {@code serving}
 * flag), with the number its own revision gives the port name. Pure.
 */
final class Connects {
    private Connects() {
    }

    /** An app and the apps it connects to, each by its planner name {@code team/app}. */
    private record Edge(String consumer, String producer, String port) {
    }

    /**
     * For every app and port the replicas on {@code hostId} connect to, the replicas of that app
     * taking traffic now, on any host, in host and container order.
     *
     * @param team every live replica of the teams that have a replica on the host
     * @param definitions the app as each replica's revision defines it; empty when it cannot be read
     * @param peers each host's peer address, where known
     */
    static List<ConnectTarget> targets(String hostId, Collection<ReplicaRow> team,
                                       Function<ReplicaRow, Optional<AppDefinition>> definitions, Map<String, String> peers) {
        var wanted = new TreeMap<String, ConnectTarget>();
        for (var r : team) {
            if (!r.hostId().equals(hostId)) continue;
            for (var c : connects(r, definitions)) {
                String app = AgentNames.app(r.team(), c.app());
                wanted.computeIfAbsent(app + " " + c.port(), k -> new ConnectTarget(app, c.port(),
                        backends(r.teamId(), c.app(), c.port(), team, definitions, peers)));
            }
        }
        return List.copyOf(wanted.values());
    }

    private static List<ConnectTarget.Backend> backends(long teamId, String app, String port, Collection<ReplicaRow> team,
                                                        Function<ReplicaRow, Optional<AppDefinition>> definitions,
                                                        Map<String, String> peers) {
        var out = new TreeMap<String, ConnectTarget.Backend>();
        for (var r : team) {
            if (r.teamId() != teamId || !r.app().equals(app) || !r.serving()) continue;
            portNumber(definitions.apply(r), port).ifPresent(number -> out.put(r.hostId() + " " + r.container(),
                    new ConnectTarget.Backend(r.hostId(), r.container(), number, peers.get(r.hostId()))));
        }
        return List.copyOf(out.values());
    }

    /**
     * For every app with a replica on {@code hostId} and each of its ports another app of the
     * team connects to: that app and the hosts its replicas run on.
     */
    static List<ConnectGrant> grants(String hostId, Collection<ReplicaRow> team,
                                     Function<ReplicaRow, Optional<AppDefinition>> definitions) {
        var ports = new TreeMap<String, Set<String>>();
        // producer app and port name -> this host's replicas and the number the name has in each one's revision
        var numbers = new TreeMap<String, Map<String, Integer>>();
        for (var r : team) {
            if (!r.hostId().equals(hostId)) continue;
            definitions.apply(r).ifPresent(d -> d.ports().forEach(p -> {
                ports.computeIfAbsent(r.qualifiedApp(), k -> new TreeSet<>()).add(p.name());
                numbers.computeIfAbsent(r.qualifiedApp() + " " + p.name(), k -> new TreeMap<>()).put(r.container(), p.port());
            }));
        }
        record Granted(String app, String port, String consumerApp, Map<String, Integer> containerPorts) {
        }
        var consumerHosts = new TreeMap<String, TreeSet<String>>();
        var granted = new TreeMap<String, Granted>();
        for (var r : team) {
            for (var c : connects(r, definitions)) {
                String producer = r.team() + "/" + c.app();
                if (!ports.getOrDefault(producer, Set.of()).contains(c.port())) continue;
                String key = producer + " " + c.port() + " " + r.qualifiedApp();
                consumerHosts.computeIfAbsent(key, k -> new TreeSet<>()).add(r.hostId());
                granted.putIfAbsent(key, new Granted(AgentNames.app(r.team(), c.app()), c.port(), AgentNames.app(r.team(), r.app()),
                        numbers.get(producer + " " + c.port())));
            }
        }
        var grants = new ArrayList<ConnectGrant>();
        granted.forEach((key, g) -> grants.add(new ConnectGrant(g.app(), g.port(), g.consumerApp(), List.copyOf(consumerHosts.get(key)),
                g.containerPorts())));
        return grants;
    }

    /**
     * One live replica as generation bumps see it.
     *
     * @param app its planner name, {@code team/app}
     * @param connectsTo the planner names of the apps its revision connects to
     */
    record Line(String app, String hostId, Set<String> connectsTo) {
        static Line of(ReplicaRow r, Optional<AppDefinition> definition) {
            return of(r.team(), r.app(), r.hostId(), definition);
        }

        static Line of(String team, String app, String hostId, Optional<AppDefinition> definition) {
            var to = new TreeSet<String>();
            definition.ifPresent(d -> d.network().connects().forEach(c -> to.add(team + "/" + c.app())));
            return new Line(team + "/" + app, hostId, to);
        }
    }

    /**
     * The hosts whose assignment changes when the replicas of {@code changed} apps change (start,
     * stop, or enter or leave traffic): those running an app that connects to one of them (their
     * backends change) and those running an app one of them connects to (their grants change).
     *
     * @param live the replicas before and after the change, both
     */
    static Set<String> hostsToBump(Set<String> changed, Collection<Line> live) {
        var producers = new TreeSet<String>();
        for (var l : live) {
            if (changed.contains(l.app())) producers.addAll(l.connectsTo());
        }
        var out = new TreeSet<String>();
        for (var l : live) {
            if (producers.contains(l.app()) || l.connectsTo().stream().anyMatch(changed::contains)) out.add(l.hostId());
        }
        return out;
    }

    /** The hosts running an app that connects to one of {@code producers}: their backends change with the producers' hosts. */
    static Set<String> consumersOf(Set<String> producers, Collection<Line> live) {
        var out = new TreeSet<String>();
        for (var l : live) {
            if (l.connectsTo().stream().anyMatch(producers::contains)) out.add(l.hostId());
        }
        return out;
    }

    private static List<Network.Connect> connects(ReplicaRow r, Function<ReplicaRow, Optional<AppDefinition>> definitions) {
        return definitions.apply(r).map(d -> d.network().connects()).orElse(List.of());
    }

    private static Optional<Integer> portNumber(Optional<AppDefinition> definition, String name) {
        return definition.flatMap(d -> d.ports().stream().filter(p -> p.name().equals(name)).map(Port::port).findFirst());
    }
}
