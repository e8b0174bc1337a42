package dev.berth.platform.apps.ui;

import dev.berth.platform.metrics.MetricsQuery;
import java.time.Duration;
import java.time.Instant;

/**
 * The windows the Metrics panel offers, each with a step the store keeps samples at or a multiple
 * of it: raw 10-second slots for the last hour, 1-minute buckets for 6 and 24 hours (two of them
 * per point for 24 hours, within {@link MetricsQuery#MAX_POINTS}), 10-minute buckets for the week
 * (two per point). Pure.
 */
enum MetricsRange {
    HOUR("1 h", Duration.ofHours(1), Duration.ofSeconds(10), null),
    SIX_HOURS("6 h", Duration.ofHours(6), Duration.ofMinutes(1), "1-minute"),
    DAY("24 h", Duration.ofDays(1), Duration.ofMinutes(2), "1-minute"),
    WEEK("7 d", Duration.ofDays(7), Duration.ofMinutes(20), "10-minute");

    static final String NO_SAMPLES = "No samples yet — agents send one every 10 s while a replica runs.";

    private final String label;
    private final Duration span;
    private final Duration step;
    /** The buckets the store sums raw samples into for this range; null for the raw samples themselves. */
    private final String buckets;

    MetricsRange(String label, Duration span, Duration step, String buckets) {
        this.label = label;
        this.span = span;
        this.step = step;
        this.buckets = buckets;
    }

    /**
     * What the panel says when the range has no sample: samples reach the coarser buckets only
     * after each bucket ends and is summed, so a new app's first minutes are in the 1 h range only.
     */
    String emptyText() {
        if (buckets == null) return NO_SAMPLES;
        return "No samples in " + buckets + " buckets yet — agents send one every 10 s while a replica runs, and each "
                + buckets + " bucket is filled a little after it ends; the 1 h range shows the newest samples first.";
    }

    String label() {
        return label;
    }

    Duration step() {
        return step;
    }

    /** {@code step} as {@code GET .../metrics} takes it: seconds. */
    String stepText() {
        return Long.toString(step.toSeconds());
    }

    /**
     * Where the window ending at {@code now} starts: a step after {@code now} minus the span, so the
     * week stays within the history kept when the service reads its clock a moment later.
     */
    Instant from(Instant now) {
        return now.minus(span).plus(step);
    }

    /** The query the window ending at {@code now} makes: its first bucket is where the chart starts. */
    MetricsQuery query(Instant now) {
        return MetricsQuery.parse(from(now).toString(), null, stepText(), now);
    }
}
