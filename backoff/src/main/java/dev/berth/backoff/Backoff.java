package dev.berth.backoff;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff, pure: the wait before the next attempt after some failures in a row is
 * {@code first}, doubling with each further failure, never more than {@code cap}; with jitter, a
 * random share of up to {@code jitter} of it is taken off, so many clients failing together do not
 * retry together.
 *
 * @param first  the wait after one failure
 * @param cap    the longest wait
 * @param jitter the largest share taken off at random, from 0 (none) to 1
 */
public record Backoff(Duration first, Duration cap, double jitter) {

    public Backoff {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(cap, "cap");
        if (first.isNegative() || cap.isNegative()) throw new IllegalArgumentException("backoff durations must not be negative");
        if (!(jitter >= 0 && jitter <= 1)) throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
    }

    /** Doubling from {@code first} up to {@code cap}, without jitter. */
    public Backoff(Duration first, Duration cap) {
        this(first, cap, 0);
    }

    /** This backoff with up to {@code jitter} of each wait taken off at random. */
    public Backoff withJitter(double jitter) {
        return new Backoff(first, cap, jitter);
    }

    /**
     * The wait after {@code failures} failures in a row, without jitter: {@code first} for one (or
     * none), twice that for two, and so on up to {@code cap}.
     */
    public Duration delay(int failures) {
        Duration delay = first;
        for (int i = 1; i < failures && delay.compareTo(cap) < 0 && !delay.isZero(); i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(cap) > 0 ? cap : delay;
    }

    /**
     * The wait after {@code failures} failures in a row, less a random share of up to
     * {@link #jitter()} of it.
     *
     * @param random uniform numbers in {@code [0, 1)}, such as {@code ThreadLocalRandom.current()::nextDouble}
     */
    public Duration delay(int failures, DoubleSupplier random) {
        Duration delay = delay(failures);
        if (jitter == 0) return delay;
        double share = jitter * random.getAsDouble();
        return delay.minusNanos(Math.round(delay.toNanos() * share));
    }
}
