package dev.berth.registry;

import dev.berth.backoff.Backoff;
import java.time.Duration;
import java.util.Objects;

/**
 * How often and how patiently transient failures (5xx, 429, connection trouble, truncated bodies)
 * are retried. Backoff doubles from {@code initialBackoff} up to {@code maxBackoff}.
 *
 * @param attempts total tries including the first, at least 1
 */
public record RetryPolicy(int attempts, Duration initialBackoff, Duration maxBackoff) {

    /** Four tries, waiting 250 ms, 500 ms, 1 s between them (capped at 5 s). */
    public static final RetryPolicy DEFAULT = new RetryPolicy(4, Duration.ofMillis(250), Duration.ofSeconds(5));

    public RetryPolicy {
        if (attempts < 1) throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("backoff durations must not be negative");
        }
    }

    /** The wait before try number {@code attempt + 1}, after {@code attempt} (1-based) tries failed. */
    public Duration backoff(int attempt) {
        if (attempt < 1) throw new IllegalArgumentException("attempt is 1-based, was " + attempt);
        return new Backoff(initialBackoff, maxBackoff).delay(attempt);
    }
}
