package dev.berth.agent.link;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * An instance's {@code Retry-After} (RFC 9110: seconds, or an HTTP date), pure: how long the agent
 * waits before calling it again. A platform whose database is away says 5 s; waiting that instead of
 * a backoff doubled to a minute notices the database's return within seconds. Capped at
 * {@link LinkParts#MAX_BACKOFF} so a wrong header cannot silence the agent, and spread by a little
 * jitter so agents told the same thing together do not all come back in the same instant.
 */
public final class RetryAfter {
    /** The largest share of the wait added at random. */
    static final double JITTER = 0.2;
    /** The shortest wait, whatever the header says. */
    static final Duration MIN = Duration.ofSeconds(1);

    private RetryAfter() {
    }

    /** The wait the header says, from {@code now}, at least {@link #MIN} and at most {@link LinkParts#MAX_BACKOFF}; empty when absent or unreadable. */
    public static Optional<Duration> parse(String header, Instant now) {
        if (header == null || header.isBlank()) return Optional.empty();
        String value = header.strip();
        Duration wait;
        if (value.chars().allMatch(Character::isDigit)) {
            wait = value.length() > 9 ? LinkParts.MAX_BACKOFF : Duration.ofSeconds(Long.parseLong(value));
        } else {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                wait = at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        // At least a second: an instance saying 0 again and again must not make a busy loop.
        if (wait.compareTo(MIN) < 0) wait = MIN;
        return Optional.of(wait.compareTo(LinkParts.MAX_BACKOFF) > 0 ? LinkParts.MAX_BACKOFF : wait);
    }

    /**
     * {@code told} plus a random share of up to {@link #JITTER} of it, still at most
     * {@link LinkParts#MAX_BACKOFF}; never less than told: the instance said it cannot serve before.
     *
     * @param random uniform numbers in {@code [0, 1)}
     */
    public static Duration jittered(Duration told, DoubleSupplier random) {
        Duration wait = told.plusNanos(Math.round(told.toNanos() * JITTER * random.getAsDouble()));
        return wait.compareTo(LinkParts.MAX_BACKOFF) > 0 ? LinkParts.MAX_BACKOFF : wait;
    }
}
