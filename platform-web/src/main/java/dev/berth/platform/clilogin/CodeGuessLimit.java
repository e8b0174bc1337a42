package dev.berth.platform.clilogin;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How many codes matching no request one user may enter in a window before waiting: a session
 * cannot walk the code space. Pure: the failures and the time are passed in.
 */
public record CodeGuessLimit(int maxFailures, Duration window) {
    public static final CodeGuessLimit DEFAULT = new CodeGuessLimit(10, Duration.ofMinutes(15));

    /** Until when the user must wait, or empty when they may try a code now. */
    public Optional<Instant> lockedUntil(List<Instant> failures, Instant now) {
        var recent = failures.stream().filter(t -> t.isAfter(now.minus(window))).sorted().toList();
        if (recent.size() < maxFailures) return Optional.empty();
        return Optional.of(recent.get(recent.size() - maxFailures).plus(window));
    }
}
