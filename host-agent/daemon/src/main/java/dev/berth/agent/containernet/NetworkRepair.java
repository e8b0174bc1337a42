package dev.berth.agent.containernet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a starting agent undoes of the network its predecessor left: containers whose setup never
 * finished (the hook is told to fail, if it still waits) or whose process has ended lose their
 * interface, lease, rules and namespace; leases, rules, namespaces and resolv.conf files of
 * containers that are gone are removed, and namespace holders a dead agent left are killed ({@link
 * StrayHolders}); so are its spare networks ({@link SpareNetworks}). Running containers keep their
 * network as it is, also one in a spare they took (found by the CNI id their record names).
 */
public final class NetworkRepair {
    private static final System.Logger log = System.getLogger(NetworkRepair.class.getName());

    private NetworkRepair() {
    }

    /**
     * @param held every container the agent holds now, with its directory
     * @param live the held containers whose process runs (their setup finished: the process runs only after it)
     */
    public static void repair(ContainerNetwork network, Map<String, Path> held, Set<String> live) throws IOException {
        if (!network.inUse()) return;
        StrayHolders.killAll(Path.of("/proc"));
        var kept = new HashSet<String>();
        var keptIds = new HashSet<String>();
        for (var entry : held.entrySet()) {
            String name = entry.getKey();
            Path dir = entry.getValue();
            var attached = network.attached(dir);
            if (attached.isEmpty()) continue;
            if (live.contains(name)) {
                kept.add(name);
                keptIds.add(attached.get().cniIdOr(name));
                continue;
            }
            HookChannel.answer(dir, "the agent restarted during the network setup");
            network.detach(name, dir);
            log.log(System.Logger.Level.INFO, "took " + name + " off the network: its process is not running");
        }
        network.spares().repair(keptIds);
        for (String id : leaseHolders(network.leases())) {
            if (!kept.contains(id) && !keptIds.contains(id)) removeLeftover(network, id, false);
        }
        for (String name : network.firewallForRepair().containers()) {
            if (!kept.contains(name)) removeLeftover(network, name, true);
        }
        // What is still here had neither lease nor rules: an agent died before CNI ADD.
        for (String name : network.namespaceHolders()) {
            if (kept.contains(name)) continue;
            try {
                network.removeNamespace(name);
            } catch (IOException | RuntimeException e) {
                log.log(System.Logger.Level.WARNING, "could not remove the network namespace " + name + " left: " + e.getMessage());
            }
        }
        try (Stream<Path> files = Files.list(network.resolvDir())) {
            for (Path f : files.toList()) {
                if (!held.containsKey(f.getFileName().toString())) Files.deleteIfExists(f);
            }
        }
    }

    /** One leftover at a time: one that cannot be removed (a lease of a name CNI refuses) does not stop the agent. */
    private static void removeLeftover(ContainerNetwork network, String name, boolean rules) {
        try {
            network.removeLeftover(name, rules);
        } catch (IOException | RuntimeException e) {
            log.log(System.Logger.Level.WARNING, "could not remove what " + name + " left on the network: " + e.getMessage());
        }
    }

    /** The container ids host-local holds addresses for: each lease file names its holder on its first line. */
    static Set<String> leaseHolders(Path leases) throws IOException {
        var out = new HashSet<String>();
        if (!Files.isDirectory(leases)) return out;
        try (Stream<Path> files = Files.list(leases)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.equals("lock") || name.startsWith("last_reserved_ip") || !Files.isRegularFile(f)) continue;
                String id = Files.readString(f).lines().findFirst().orElse("").strip();
                if (!id.isEmpty()) out.add(id);
            }
        }
        return out;
    }
}
