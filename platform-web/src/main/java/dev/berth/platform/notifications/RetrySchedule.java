package dev.berth.platform.notifications;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a failed delivery is tried again, pure: 30 s after the first failure, doubling each time up
 * to an hour apart, for as long as the next try falls within a day of the event.
 */
public final class RetrySchedule {
    static final Duration FIRST = Duration.ofSeconds(30);
    static final Duration LONGEST = Duration.ofHours(1);
    static final Duration GIVE_UP_AFTER = Duration.ofHours(24);

    private RetrySchedule() {
    }

    /** How long after the {@code attempts}th failed attempt the next one is made. */
    static Duration delayAfter(int attempts) {
        if (attempts <= 0) return Duration.ZERO;
        // 2^17 * 30 s is past an hour already; shifting further would overflow nothing but is pointless.
        Duration d = FIRST.multipliedBy(1L << Math.min(attempts - 1, 17));
        return d.compareTo(LONGEST) > 0 ? LONGEST : d;
    }

    /** The next attempt after {@code attempts} failed ones at {@code now}, or empty: give up. */
    static Optional<Instant> next(Instant created, int attempts, Instant now) {
        Instant next = now.plus(delayAfter(attempts));
        return next.isAfter(created.plus(GIVE_UP_AFTER)) ? Optional.empty() : Optional.of(next);
    }
}
