package dev.berth.platform.security;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;

/**
 * Which unauthenticated failures are audited one by one, and how many are only counted. Pure and
 * not thread-safe: the time is passed in, the caller serialises.
 * <p>
 * Time runs in fixed windows. Inside one, each source address gets {@code perSource} events
 * audited one by one and all sources together {@code overall}; every further failure is counted
 * per action and source (at most {@code maxSources} sources, the rest under {@link #OTHER_SOURCES}),
 * and the counts come out as one {@link Summary} each once the window has ended. So a flood
 * writes a bounded number of audit rows per window whatever its size, and nothing goes unsaid.
 */
final class FailureTally {
    static final String OTHER_SOURCES = "other sources";
    static final int SAMPLE_TARGETS = 5;

    private final Duration window;
    private final int perSource;
    private final int overall;
    private final int maxSources;

    private Instant windowStart;
    private final Map<String, Integer> recordedBySource = new HashMap<>();
    private int recorded;
    private final Map<Key, Count> suppressed = new LinkedHashMap<>();
    private final List<Summary> ended = new ArrayList<>();

    FailureTally(Duration window, int perSource, int overall, int maxSources) {
        this.window = window;
        this.perSource = perSource;
        this.overall = overall;
        this.maxSources = maxSources;
    }

    /** Failures of one action from one source, counted but not audited in a window. */
    record Summary(String action, String source, long count, Instant from, Instant until, List<String> targets) {
    }

    private record Key(String action, String source) {
    }

    private static final class Count {
        long n;
        final SequencedSet<String> targets = new LinkedHashSet<>();
    }

    /** True: audit this failure now. False: it was counted for a later {@link Summary}. */
    boolean admit(String action, String source, String target, Instant now) {
        roll(now);
        String from = source == null ? "unknown" : source;
        int fromHere = recordedBySource.getOrDefault(from, 0);
        if (fromHere < perSource && recorded < overall) {
            recordedBySource.put(from, fromHere + 1);
            recorded++;
            return true;
        }
        var key = new Key(action, from);
        if (!suppressed.containsKey(key) && suppressed.size() >= maxSources) key = new Key(action, OTHER_SOURCES);
        var count = suppressed.computeIfAbsent(key, k -> new Count());
        count.n++;
        // Some failures name no target (a forged credential says nothing about whom it meant).
        if (target != null && count.targets.size() < SAMPLE_TARGETS) count.targets.add(target);
        return false;
    }

    /** Summaries of the windows that have ended by {@code now}; each is handed out once. */
    List<Summary> due(Instant now) {
        roll(now);
        var out = List.copyOf(ended);
        ended.clear();
        return out;
    }

    /** Everything counted so far, the current window included (on shutdown). */
    List<Summary> drain(Instant now) {
        if (windowStart != null) close(now);
        return due(now);
    }

    private void roll(Instant now) {
        // A clock stepped back (NTP, a restored VM) ends the window too, rather than hold it open
        // until real time catches up with where it started.
        if (windowStart != null && now.isBefore(windowStart)) close(now);
        if (windowStart != null && !now.isBefore(windowStart.plus(window))) close(windowStart.plus(window));
        if (windowStart == null) windowStart = now;
    }

    private void close(Instant until) {
        suppressed.forEach((key, count) -> ended.add(new Summary(key.action(), key.source(), count.n, windowStart, until,
                List.copyOf(count.targets))));
        suppressed.clear();
        recordedBySource.clear();
        recorded = 0;
        windowStart = null;
    }
}
