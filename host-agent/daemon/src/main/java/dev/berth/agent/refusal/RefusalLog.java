package dev.berth.agent.refusal;

import dev.berth.agent.firewall.Refusal;
import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.agent.protocol.RefusedDestination;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the firewall refused each container, from its kernel counters: per destination the count
 * and when it was first seen or last grew. Pure: each {@link #record} takes the whole of one
 * reading. The firewall keeps a container's counts while its rules exist (a replacement keeps
 * them), so a container missing from a reading has no rules any more and is forgotten; a count
 * that went down belongs to rules made again, and counts as grown. A new log (an agent that
 * started) sees every count as new at its first reading.
 */
public final class RefusalLog {
    private final Clock clock;
    private final int perContainer;
    private Map<String, Map<Key, RefusedDestination>> byContainer = Map.of();

    /** @param perContainer the most destinations {@link #of} returns for one container */
    public RefusalLog(Clock clock, int perContainer) {
        if (perContainer < 1) throw new IllegalArgumentException("perContainer must be at least 1, not " + perContainer);
        this.clock = clock;
        this.perContainer = perContainer;
    }

    /** One container's refusals, the most recently seen first, and how many more were left out. */
    public record Refused(List<RefusedDestination> destinations, int leftOut) {
        public static final Refused NONE = new Refused(List.of(), 0);

        public Refused {
            destinations = List.copyOf(destinations);
        }

        /** {@code status} carrying these refusals. */
        public ContainerStatus onto(ContainerStatus status) {
            return status.withRefused(destinations, leftOut);
        }
    }

    private record Key(String destination, String protocol, int port) {
    }

    /** Takes one reading of every container's counters ({@code Firewall.refusals()}). */
    public void record(List<Refusal> reading) {
        record(reading, clock.instant());
    }

    /** {@link #record(List)} as of {@code now}. */
    synchronized void record(List<Refusal> reading, Instant now) {
        var next = new HashMap<String, Map<Key, RefusedDestination>>();
        for (Refusal r : reading) {
            var key = new Key(r.destination().getHostAddress(), r.protocol(), r.port());
            var before = byContainer.getOrDefault(r.container(), Map.of()).get(key);
            // Unchanged keeps its time; new, grown or reset (rules made again) is seen now.
            Instant seen = before != null && before.count() == r.packets() ? before.lastSeen() : now;
            next.computeIfAbsent(r.container(), c -> new HashMap<>())
                    .merge(key, new RefusedDestination(key.destination(), key.protocol(), key.port(), r.packets(), seen),
                            (a, b) -> new RefusedDestination(a.destination(), a.protocol(), a.port(), a.count() + b.count(),
                                    a.lastSeen().isAfter(b.lastSeen()) ? a.lastSeen() : b.lastSeen()));
        }
        byContainer = next;
    }

    /** What was refused to {@code container}; none when it has no rules or nothing was refused. */
    public synchronized Refused of(String container) {
        var all = byContainer.getOrDefault(container, Map.of()).values().stream()
                .sorted(Comparator.comparing(RefusedDestination::lastSeen).reversed()
                        .thenComparing(Comparator.comparingLong(RefusedDestination::count).reversed())
                        .thenComparing(RefusedDestination::destination).thenComparing(RefusedDestination::protocol)
                        .thenComparingInt(RefusedDestination::port))
                .toList();
        if (all.isEmpty()) return Refused.NONE;
        return new Refused(all.subList(0, Math.min(perContainer, all.size())), Math.max(0, all.size() - perContainer));
    }
}
