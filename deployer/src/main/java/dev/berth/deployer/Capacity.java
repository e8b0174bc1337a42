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
            Free f = new Free(h);
            live.add(f);
            byId.put(h.id(), f);
        }
        for (Replica r : observed) {
            Free f = byId.get(r.hostId());
            if (f != null && r.state() != Replica.State.EXITED) {
                f.reserve(r.app(), r.revision(), r.reserved());
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
        Optional<Free> best = live.stream()
                .filter(f -> f.fits(need))
                .min(Comparator.<Free>comparingInt(f -> f.count(app, revision))
                        .thenComparingDouble(Free::load)
                        .thenComparing(f -> f.host.id()));
        best.ifPresent(f -> f.reserve(app, revision, need));
        return best.map(f -> f.host.id());
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
        long memory;
        long cpu;
        final Map<String, Integer> counts = new HashMap<>();

        Free(Host host) {
            this.host = host;
            this.memory = host.memoryBytes();
            this.cpu = host.cpuMillis();
        }

        void reserve(String app, long revision, Resources r) {
            memory -= r.memoryBytes();
            cpu -= r.cpuMillis();
            counts.merge(app + "@" + revision, 1, Integer::sum);
        }

        boolean fits(Resources need) {
            return memory >= need.memoryBytes() && cpu >= need.cpuMillis();
        }

        int count(String app, long revision) {
            return counts.getOrDefault(app + "@" + revision, 0);
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
