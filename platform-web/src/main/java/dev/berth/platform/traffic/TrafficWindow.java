package dev.berth.platform.traffic;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each app's requests and 5xx answers of the last {@link #SPAN}, in buckets of {@link #BUCKET},
 * and the rates over the last minute and the last five. A rate is taken over the time the window
 * has seen the app when that is shorter, so an app first seen 20 s ago is not averaged over 5
 * minutes. Not thread-safe. Pure: times come in.
 */
final class TrafficWindow {
    static final Duration BUCKET = Duration.ofSeconds(10);
    static final Duration SPAN = Duration.ofMinutes(5);
    private static final List<Duration> RATES = List.of(Duration.ofMinutes(1), SPAN);
    private final Map<String, Seen> apps = new HashMap<>();

    private static final class Seen {
        final Instant since;
        Instant heard;
        final ArrayDeque<long[]> buckets = new ArrayDeque<>(); // {bucket start in ms, requests, server errors}

        Seen(Instant since) {
            this.since = since;
            this.heard = since;
        }
    }

    /** A rate over {@code window}: requests and 5xx answers per second. */
    record Rate(Duration window, double requestsPerSecond, double serverErrorsPerSecond) {
    }

    /** An edge reported {@code app} at {@code at}: watched from then on if it was not yet (its baseline report). */
    void heard(String app, Instant at) {
        var seen = apps.computeIfAbsent(app, a -> new Seen(at));
        if (at.isAfter(seen.heard)) seen.heard = at;
    }

    void add(String app, Instant at, long requests, long serverErrors) {
        heard(app, at);
        var seen = apps.get(app);
        long start = at.toEpochMilli() - Math.floorMod(at.toEpochMilli(), BUCKET.toMillis());
        var newest = seen.buckets.peekLast();
        if (newest != null && newest[0] == start) {
            newest[1] += requests;
            newest[2] += serverErrors;
        } else {
            seen.buckets.addLast(new long[] {start, requests, serverErrors});
        }
        prune(seen, at);
    }

    /** The rates over the last minute and five; empty when the app was not seen in the window. */
    List<Rate> rates(String app, Instant now) {
        var seen = apps.get(app);
        if (seen == null) return List.of();
        prune(seen, now);
        long watched = Math.max(BUCKET.toMillis(), Duration.between(seen.since, now).toMillis());
        return RATES.stream().map(window -> {
            long from = now.toEpochMilli() - window.toMillis();
            long requests = 0;
            long errors = 0;
            for (long[] b : seen.buckets) {
                if (b[0] + BUCKET.toMillis() <= from) continue;
                requests += b[1];
                errors += b[2];
            }
            double seconds = Math.min(window.toMillis(), watched) / 1000.0;
            return new Rate(window, requests / seconds, errors / seconds);
        }).toList();
    }

    /** One finished bucket: its start and the requests and 5xx answers counted in it. */
    record Bucket(Instant start, long requests, long serverErrors) {
    }

    /**
     * The app's finished buckets of the last {@link #SPAN}, oldest first, from the one it was first
     * seen in: a bucket with nothing reported counts zero (the edges report only what grew). The
     * bucket {@code now} falls in is left out: its reports are not all in yet. Empty when the app
     * was not seen in the window.
     */
    List<Bucket> series(String app, Instant now) {
        var seen = apps.get(app);
        if (seen == null) return List.of();
        prune(seen, now);
        long size = BUCKET.toMillis();
        long end = now.toEpochMilli() - Math.floorMod(now.toEpochMilli(), size);
        long since = seen.since.toEpochMilli() - Math.floorMod(seen.since.toEpochMilli(), size);
        var counted = new HashMap<Long, long[]>();
        seen.buckets.forEach(b -> counted.put(b[0], b));
        var out = new ArrayList<Bucket>();
        for (long t = Math.max(since, end - SPAN.toMillis()); t < end; t += size) {
            long[] b = counted.get(t);
            out.add(new Bucket(Instant.ofEpochMilli(t), b == null ? 0 : b[1], b == null ? 0 : b[2]));
        }
        return out;
    }

    /** Forgets apps no edge reported for the whole span, so the window stays bounded. */
    void prune(Instant now) {
        apps.values().forEach(s -> prune(s, now));
        apps.values().removeIf(s -> Duration.between(s.heard, now).compareTo(SPAN) > 0);
    }

    private static void prune(Seen seen, Instant now) {
        long oldest = now.toEpochMilli() - SPAN.toMillis() - BUCKET.toMillis();
        while (!seen.buckets.isEmpty() && seen.buckets.peekFirst()[0] < oldest) seen.buckets.removeFirst();
    }
}
