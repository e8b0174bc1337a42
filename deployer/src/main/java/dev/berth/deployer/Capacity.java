package dev.berth.deployer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Free capacity of the live hosts that take new replicas (not draining) during one planning round:
 * what observed replicas reserve, plus what the round's starts have claimed so far.
 */
final class Capacity {
    private final List<Free> live = new ArrayList<>();
    private final int hostCount;
    private int draining;
    private final java.util.Set<String> drainingIds = new java.util.HashSet<>();
    private final Duration heartbeatTimeout;
    /** Per app revision ({@link #key}), how many of its replicas each live host holds, by index in {@link #live}. */
    private final Map<String, Map<Integer, Integer>> counts = new HashMap<>();

    Capacity(int hostCount, List<Host> alive, List<Replica> observed, Duration heartbeatTimeout) {
        this.hostCount = hostCount;
        this.heartbeatTimeout = heartbeatTimeout;
        Map<String, Free> byId = new HashMap<>();
        for (Host h : alive) {
            if (h.draining()) {
                draining++;
                drainingIds.add(h.id());
                continue;
            }
            Free f = new Free(h, live.size());
            live.add(f);
            byId.put(h.id(), f);
        }
        for (Replica r : observed) {
            Free f = byId.get(r.hostId());
            if (f != null && r.state() != Replica.State.EXITED) {
                reserve(f, key(r.app(), r.revision()), r.reserved());
            }
        }
    }

    /** Whether {@code hostId} is a live host that drains. */
    boolean draining(String hostId) {
        return drainingIds.contains(hostId);
    }

    /**
     * Claims room for one replica: among hosts it fits on, the one with the fewest replicas of
     * this app's revision, then the least loaded, then the smallest id.
     */
    Optional<String> place(String app, long revision, Resources need) {
        // This runs for every start, over every host: one pass, the app revision's few hosts looked up once.
        String key = key(app, revision);
        int[] held = new int[live.size()];
        counts.getOrDefault(key, Map.of()).forEach((index, n) -> held[index] = n);
        Free best = null;
        int bestCount = 0;
        double bestLoad = 0;
        for (Free f : live) {
            if (!f.fits(need)) {
                continue;
            }
            int count = held[f.index];
            double load = f.load();
            if (best == null || count < bestCount
                    || count == bestCount && (load < bestLoad || load == bestLoad && f.host.id().compareTo(best.host.id()) < 0)) {
                best = f;
                bestCount = count;
                bestLoad = load;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        reserve(best, key, need);
        return Optional.of(best.host.id());
    }

    private static String key(String app, long revision) {
        return app + "@" + revision;
    }

    private void reserve(Free f, String key, Resources r) {
        f.memory -= r.memoryBytes();
        f.cpu -= r.cpuMillis();
        counts.computeIfAbsent(key, k -> new HashMap<>()).merge(f.index, 1, Integer::sum);
    }

    /** Why {@code need} fits nowhere, naming what is short on the host closest to fitting it. */
    String whyUnplaceable(Resources need) {
        String needs = "needs " + Quantities.memory(need.memoryBytes()) + " memory and "
                + Quantities.cpu(need.cpuMillis()) + " cpu";
        if (hostCount == 0) {
            return needs + "; no hosts are registered";
        }
        if (live.isEmpty() && draining > 0) {
            return needs + "; no host takes new replicas: every live host is draining";
        }
        if (live.isEmpty()) {
            return needs + "; no host is alive: none sent a heartbeat in the last "
                    + Quantities.duration(heartbeatTimeout);
        }
        Free closest = live.stream()
                .max(Comparator.<Free>comparingDouble(f -> f.fit(need))
                        .thenComparing(f -> f.host.id(), Comparator.reverseOrder()))
                .orElseThrow();
        List<String> missing = new ArrayList<>();
        if (closest.memory < need.memoryBytes()) {
            missing.add(Quantities.memory(closest.memory) + " memory");
        }
        if (closest.cpu < need.cpuMillis()) {
            missing.add(Quantities.cpu(closest.cpu) + " cpu");
        }
        return needs + "; the most free host " + closest.host.id() + " has " + String.join(" and ", missing);
    }

    private static final class Free {
        final Host host;
        final int index;
        long memory;
        long cpu;

        Free(Host host, int index) {
            this.host = host;
            this.index = index;
            this.memory = host.memoryBytes();
            this.cpu = host.cpuMillis();
        }

        boolean fits(Resources need) {
            return memory >= need.memoryBytes() && cpu >= need.cpuMillis();
        }

        /** The larger of the used memory and used CPU fractions. */
        double load() {
            return Math.max(used(memory, host.memoryBytes()), used(cpu, host.cpuMillis()));
        }

        /** How many times {@code need} fits in the scarcer of the two free amounts. */
        double fit(Resources need) {
            return Math.min(ratio(memory, need.memoryBytes()), ratio(cpu, need.cpuMillis()));
        }

        private static double used(long free, long total) {
            return total <= 0 ? 1.0 : (double) (total - free) / total;
        }

        private static double ratio(long free, long need) {
            return need <= 0 ? Double.MAX_VALUE : (double) Math.max(0, free) / need;
        }
    }
}
