package dev.berth.platform.security;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * After {@code maxFailures} failed logins inside {@code window}, the account is locked for
 * {@code lockFor}. Pure: the failures and the time are passed in.
 */
public record LockoutPolicy(int maxFailures, Duration window, Duration lockFor) {
    public static final LockoutPolicy DEFAULT = new LockoutPolicy(5, Duration.ofMinutes(15), Duration.ofMinutes(15));

    /** The lock to apply after a failure at {@code now}, given every recorded failure (including it). */
    public Optional<Instant> lockAfterFailure(List<Instant> failures, Instant now) {
        // No upper bound: PostgreSQL rounds to microseconds, so the failure just stored may read
        // back a few hundred nanoseconds after now.
        long recent = failures.stream().filter(t -> !t.isBefore(windowStart(now))).count();
        return recent >= maxFailures ? Optional.of(now.plus(lockFor)) : Optional.empty();
    }

    public Instant windowStart(Instant now) {
        return now.minus(window);
    }

    public static boolean isLocked(Instant lockedUntil, Instant now) {
        return lockedUntil != null && now.isBefore(lockedUntil);
    }
}
