package dev.berth.agent.inspect;

import dev.berth.agent.bundle.OciSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The container profile's promises, each compared with what the live process shows. Pure: the
 * promise comes from the OCI spec the agent wrote, the observation from {@link IsolationInspector}.
 */
public record IsolationReport(List<Item> items) {

    /** One promise: what was expected, what was found, and whether they agree. */
    public record Item(String name, String expected, String actual, boolean pass) {
    }

    /** Raw readings of a live container, taken from outside it. */
    public record Observed(ProcStatus status, String uidMap, String gidMap, MountInfo mounts,
                           Map<String, Boolean> namespaceSeparate, Map<String, String> cgroupLimits, Set<String> devices) {
    }

    /** Character devices a container may see in /dev. */
    static final Set<String> ALLOWED_DEVICES = Set.of("null", "zero", "full", "random", "urandom", "tty");

    public boolean allPass() {
        return items.stream().allMatch(Item::pass);
    }

    public static IsolationReport evaluate(OciSpec promised, Observed seen, List<String> writableMounts) {
        var items = new ArrayList<Item>();
        var bounding = new TreeSet<>(promised.process.capabilities.bounding);
        // execve clears the permitted and effective sets of a non-root user down to its ambient set
        // (empty here), so a process running as uid 1000 holds no capability at all.
        boolean root = promised.process.user.uid == 0;
        var held = root ? new TreeSet<>(promised.process.capabilities.effective) : new TreeSet<>(promised.process.capabilities.ambient);
        for (String set : List.of("CapEff", "CapPrm", "CapBnd")) {
            var actual = seen.status().get(set).map(CapabilitySet::decode).orElse(Set.of());
            var expected = set.equals("CapBnd") ? bounding : held;
            items.add(item("capabilities " + set, expected.toString(), new TreeSet<>(actual).toString()));
        }
        items.add(item("no new privileges", "1", seen.status().get("NoNewPrivs").orElse("missing")));
        items.add(item("seccomp filter", "2", seen.status().get("Seccomp").orElse("missing")));
        var uid = promised.linux.uidMappings.getFirst();
        String mapping = uid.containerID() + " " + uid.hostID() + " " + uid.size();
        items.add(item("uid_map", mapping, normalize(seen.uidMap())));
        items.add(item("gid_map", mapping, normalize(seen.gidMap())));
        items.add(mountItem("root read-only", seen.mounts(), "/", Set.of("ro")));
        items.add(mountItem("/proc flags", seen.mounts(), "/proc", Set.of("nosuid", "nodev", "noexec")));
        for (String path : writableMounts) {
            items.add(mountItem(path + " flags", seen.mounts(), path, Set.of("rw", "nosuid", "nodev", "noexec")));
        }
        seen.namespaceSeparate().forEach((ns, separate) ->
                items.add(item(ns + " namespace", "separate from the host", separate ? "separate from the host" : "shared with the host")));
        var r = promised.linux.resources;
        items.add(item("memory limit", Long.toString(r.memory.limit()), seen.cgroupLimits().getOrDefault("memory", "missing")));
        items.add(item("pids limit", Long.toString(r.pids.limit()), seen.cgroupLimits().getOrDefault("pids", "missing")));
        items.add(item("cpu quota", r.cpu.quota() + "/" + r.cpu.period(), seen.cgroupLimits().getOrDefault("cpu", "missing")));
        var unexpected = new TreeSet<>(seen.devices());
        unexpected.removeAll(ALLOWED_DEVICES);
        items.add(new Item("devices in /dev", "only " + new TreeSet<>(ALLOWED_DEVICES), new TreeSet<>(seen.devices()).toString(),
                unexpected.isEmpty()));
        return new IsolationReport(List.copyOf(items));
    }

    private static Item item(String name, String expected, String actual) {
        return new Item(name, expected, actual, expected.equals(actual));
    }

    private static Item mountItem(String name, MountInfo mounts, String path, Set<String> flags) {
        var entry = mounts.at(path);
        String actual = entry.map(e -> new TreeSet<>(e.options()).toString()).orElse("not mounted");
        return new Item(name, "has " + new TreeSet<>(flags), actual, entry.map(e -> e.options().containsAll(flags)).orElse(false));
    }

    private static String normalize(String idMap) {
        return idMap.strip().replaceAll("\\s+", " ");
    }
}
