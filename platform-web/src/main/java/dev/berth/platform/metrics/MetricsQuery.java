package dev.berth.platform.metrics;

import dev.berth.platform.problem.Problem;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A checked {@code from/to/step} of {@code GET .../metrics}: {@code count} buckets of {@code step}
 * starting at {@code from} (aligned down to the step), at most {@link #MAX_POINTS}.
 */
public record MetricsQuery(Instant from, Instant to, Duration step, int count) {
    /** A day at the 1-minute resolution or a week at the 10-minute one, with a partial bucket at either end. */
    public static final int MAX_POINTS = 1500;
    static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    static final Duration DEFAULT_STEP = Duration.ofMinutes(1);
    static final Duration MIN_STEP = Duration.ofSeconds(10);

    /** The bucket of {@code at}, or -1 when it is outside the query. */
    public int bucketOf(Instant at) {
        if (at.isBefore(from) || !at.isBefore(to)) return -1;
        return (int) (Duration.between(from, at).toSeconds() / step.toSeconds());
    }

    /** The start of bucket {@code i}. */
    public Instant start(int i) {
        return from.plus(step.multipliedBy(i));
    }

    /**
     * Checks the raw parameters, each optional: {@code to} defaults to now, {@code from} to an hour
     * before {@code to}, {@code step} to a minute. Pure.
     *
     * @param step seconds ({@code 60}) or an ISO-8601 duration ({@code PT1M}); a multiple of 10 s
     * @throws Problem.Invalid saying which parameter is wrong and why
     */
    public static MetricsQuery parse(String fromText, String toText, String stepText, Instant now) {
        Instant to = toText == null ? now : instant("to", toText);
        Instant from = fromText == null ? to.minus(DEFAULT_WINDOW) : instant("from", fromText);
        Duration step = stepText == null ? DEFAULT_STEP : duration(stepText);
        if (step.compareTo(MIN_STEP) < 0 || step.toMillis() % MIN_STEP.toMillis() != 0) {
            throw new Problem.Invalid("step must be a multiple of 10 seconds, at least 10, not " + stepText);
        }
        if (!from.isBefore(to)) throw new Problem.Invalid("from (" + from + ") must be before to (" + to + ")");
        if (from.isBefore(now.minus(Resolution.HISTORY))) {
            throw new Problem.Invalid("from (" + from + ") is older than the " + Resolution.HISTORY.toDays()
                    + " days of metrics kept");
        }
        long s = step.toSeconds();
        Instant alignedFrom = Instant.ofEpochSecond(from.getEpochSecond() - Math.floorMod(from.getEpochSecond(), s));
        long span = Duration.between(alignedFrom, to).toSeconds();
        long count = Math.ceilDiv(Math.max(span, 1), s);
        if (count > MAX_POINTS) {
            throw new Problem.Invalid("from/to/step ask for " + count + " points; at most " + MAX_POINTS
                    + ": use a larger step or a shorter window");
        }
        return new MetricsQuery(alignedFrom, alignedFrom.plus(step.multipliedBy(count)), step, (int) count);
    }

    private static Instant instant(String name, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new Problem.Invalid(name + " must be an ISO-8601 instant such as 2026-12-06T08:00:00Z, not '"
                    + abbreviated(text) + "'");
        }
    }

    private static Duration duration(String text) {
        try {
            if (text.matches("[0-9]{1,9}")) return Duration.ofSeconds(Long.parseLong(text));
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new Problem.Invalid("step must be seconds (60) or an ISO-8601 duration (PT1M), not '" + abbreviated(text) + "'");
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
