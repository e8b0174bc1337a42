package dev.berth.platform.metrics;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code /actuator/prometheus} exports per app, bounded: only apps with live replicas, at most
 * {@code maxApps} of them in team/app order, labels {@code team}, {@code app} (and {@code state} for
 * replica counts) only. Pure.
 *
 * @param replicas live replicas by app and observed state, each of {@link #STATES} present per app
 * @param usage the sum over each app's live replicas of their newest samples
 * @param dropped apps left out by the bound
 */
public record ExportedApps(Map<AppKey, Map<String, Long>> replicas, Map<AppKey, Usage> usage, int dropped) {
    /** Observed states, as the label values say them. */
    public static final List<String> STATES = List.of("starting", "healthy", "unhealthy", "exited");
    /** Series per exported app: one per state and one per measure of {@link Usage}. */
    public static final int SERIES_PER_APP = STATES.size() + 7;

    public record AppKey(String team, String app) implements Comparable<AppKey> {
        @Override
        public int compareTo(AppKey o) {
            int t = team.compareTo(o.team);
            return t != 0 ? t : app.compareTo(o.app);
        }
    }

    /** Sums over an app's live replicas; counters are cumulative per run, so the sum drops when a replica goes. */
    public record Usage(double cpuSeconds, long memoryBytes, long memoryLimitBytes, long pids, long rxBytes, long txBytes,
                        long restarts) {
        Usage plus(ReplicaSample s) {
            return new Usage(cpuSeconds + s.cpuNanos() / 1e9, memoryBytes + s.memoryBytes(),
                    memoryLimitBytes + (s.memoryLimitBytes() == null ? 0 : s.memoryLimitBytes()), pids + s.pids(),
                    rxBytes + s.rxBytes(), txBytes + s.txBytes(), restarts + s.restarts());
        }
    }

    static final Usage NONE = new Usage(0, 0, 0, 0, 0, 0, 0);

    static ExportedApps of(List<ReplicaMetricStore.ReplicaCount> counts, List<ReplicaMetricStore.LiveSample> samples,
                           int maxApps) {
        var all = new TreeMap<AppKey, Map<String, Long>>();
        for (var c : counts) {
            var states = all.computeIfAbsent(new AppKey(c.team(), c.app()), k -> {
                var m = new TreeMap<String, Long>();
                STATES.forEach(s -> m.put(s, 0L));
                return m;
            });
            states.merge(c.state().toLowerCase(Locale.ROOT), c.count(), Long::sum);
        }
        var kept = new TreeMap<AppKey, Map<String, Long>>();
        for (var e : all.entrySet()) {
            if (kept.size() == maxApps) break;
            kept.put(e.getKey(), Map.copyOf(e.getValue()));
        }
        var usage = new TreeMap<AppKey, Usage>();
        for (var key : kept.keySet()) usage.put(key, NONE);
        for (var s : samples) {
            var key = new AppKey(s.team(), s.app());
            if (usage.containsKey(key)) usage.put(key, usage.get(key).plus(s.sample()));
        }
        return new ExportedApps(kept, usage, all.size() - kept.size());
    }
}
