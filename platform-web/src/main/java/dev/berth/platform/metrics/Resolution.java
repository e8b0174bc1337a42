package dev.berth.platform.metrics;

import java.time.Duration;
import java.time.Instant;

/**
 * The resolutions replica samples are kept at, each for its window: raw 10-second slots for an
 * hour, 1-minute buckets for a day, 10-minute buckets for a week.
 */
public enum Resolution {
    RAW(Duration.ofSeconds(10), Duration.ofHours(1)),
    MINUTE(Duration.ofMinutes(1), Duration.ofDays(1)),
    TEN_MINUTES(Duration.ofMinutes(10), Duration.ofDays(7));

    /** How far back anything is kept. */
    public static final Duration HISTORY = TEN_MINUTES.retention;

    private final Duration size;
    private final Duration retention;

    Resolution(Duration size, Duration retention) {
        this.size = size;
        this.retention = retention;
    }

    public Duration size() {
        return size;
    }

    public Duration retention() {
        return retention;
    }

    public int seconds() {
        return (int) size.toSeconds();
    }

    /** The bucket (or slot) {@code at} falls in: its start, aligned to the epoch. */
    public Instant bucketOf(Instant at) {
        long s = at.getEpochSecond();
        return Instant.ofEpochSecond(s - Math.floorMod(s, size.toSeconds()));
    }

    /**
     * The resolution to answer a query with: the coarsest one no coarser than {@code step} whose
     * window still holds the query's first bucket (from {@code from}, aligned down to the step, to a
     * step later: a first bucket cut short by pruning is fine); when none is that fine, the finest
     * that holds it.
     */
    public static Resolution forQuery(Instant from, Duration step, Instant now) {
        Resolution chosen = null;
        for (Resolution r : values()) {
            if (r.holds(from, step, now) && r.size.compareTo(step) <= 0) chosen = r;
        }
        if (chosen != null) return chosen;
        for (Resolution r : values()) {
            if (r.holds(from, step, now)) return r;
        }
        return TEN_MINUTES;
    }

    private boolean holds(Instant from, Duration step, Instant now) {
        return from.plus(step).isAfter(now.minus(retention));
    }
}
