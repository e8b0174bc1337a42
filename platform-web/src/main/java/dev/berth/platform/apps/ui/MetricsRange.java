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
    HOUR("1 h", Duration.ofHours(1), Duration.ofSeconds(10)),
    SIX_HOURS("6 h", Duration.ofHours(6), Duration.ofMinutes(1)),
    DAY("24 h", Duration.ofDays(1), Duration.ofMinutes(2)),
    WEEK("7 d", Duration.ofDays(7), Duration.ofMinutes(20));

    private final String label;
    private final Duration span;
    private final Duration step;

    MetricsRange(String label, Duration span, Duration step) {
        this.label = label;
        this.span = span;
        this.step = step;
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
