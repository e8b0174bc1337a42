package dev.berth.platform.operations;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * Tells a failure caused by the platform's database being unreachable, or by its connection pool
 * timing out, from any other, purely from the exception and its causes, and says so to callers in
 * one sentence. Used by every edge that
 * answers while PostgreSQL is away: the API, git over HTTP, the agents' endpoints, the dashboard.
 */
public final class DatabaseOutage {
    /** What callers are told while the database is unreachable. */
    public static final String SENTENCE =
            "the platform's database is unreachable; running apps are not affected; try again shortly";
    /** The problem document's title. */
    public static final String TITLE = "Database unavailable";
    /** The problem document's title when the pool timed out while the database answers. */
    public static final String OVERLOADED_TITLE = "Platform overloaded";
    /** Seconds a client should wait before retrying ({@code Retry-After}). */
    public static final int RETRY_AFTER_SECONDS = 5;
    /** Causes followed at most; a chain this deep is not a driver's. */
    private static final int MAX_DEPTH = 32;
    /** Hikari's words for a pool timeout: "... Connection is not available, request timed out after 5000ms." */
    private static final Pattern POOL_WAIT = Pattern.compile("timed out after (\\d+)ms");

    /** What a failure says of the database. */
    public enum Kind {
        /** The database could not be reached, or said it is going away. */
        UNREACHABLE,
        /**
         * The pool gave no connection within its timeout, with no failure to connect among the
         * causes: all connections were busy, or the database is away and the pool no longer says so.
         * Only asking the database tells which.
         */
        POOL_TIMEOUT,
        /** Anything else: not the database's absence. */
        OTHER
    }

    /** A pool timeout: how long the caller waited for a connection, as the pool said (empty if it did not say). */
    public record PoolTimeout(Optional<java.time.Duration> waited) {
    }

    private DatabaseOutage() {
    }

    /**
     * True when {@code failure} or one of its causes says the database could not be reached or no
     * connection could be had: {@link #kind} is not {@link Kind#OTHER}.
     */
    public static boolean in(Throwable failure) {
        return kind(failure) != Kind.OTHER;
    }

    /**
     * What {@code failure} and its causes say: {@link Kind#UNREACHABLE} when PostgreSQL reported a
     * connection failure (SQLSTATE class 08, also what Hikari gives its timeout when its last try to
     * connect failed) or its own shutdown (57P01..57P03), or Spring could get no connection for a
     * reason it does not show; {@link Kind#POOL_TIMEOUT} when the pool timed out waiting for a
     * connection without any of those; {@link Kind#OTHER} otherwise.
     */
    public static Kind kind(Throwable failure) {
        boolean poolTimeout = false;
        boolean noConnection = false;
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.size() < MAX_DEPTH && seen.add(t); t = t.getCause()) {
            if (t instanceof SQLException sql && connectionState(sql.getSQLState())) return Kind.UNREACHABLE;
            if (t instanceof SQLTransientConnectionException) poolTimeout = true;
            if (t instanceof CannotGetJdbcConnectionException) noConnection = true;
        }
        if (poolTimeout) return Kind.POOL_TIMEOUT;
        return noConnection ? Kind.UNREACHABLE : Kind.OTHER;
    }

    /** How long the pool made the caller wait, from the pool timeout among the causes (Hikari's message). */
    public static PoolTimeout poolTimeout(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.size() < MAX_DEPTH && seen.add(t); t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException && t.getMessage() != null) {
                var m = POOL_WAIT.matcher(t.getMessage());
                if (m.find()) return new PoolTimeout(Optional.of(java.time.Duration.ofMillis(Long.parseLong(m.group(1)))));
            }
        }
        return new PoolTimeout(Optional.empty());
    }

    /**
     * What callers are told when the pool timed out while the database answers: the platform is
     * busy, not cut off; {@code waited} as the pool said, or none.
     */
    public static String overloaded(PoolTimeout timeout) {
        String within = timeout.waited().map(d -> "within " + Math.max(1, Math.round(d.toMillis() / 1000.0)) + " s")
                .orElse("within the pool's timeout");
        return "the platform is overloaded: no database connection was free " + within + "; try again";
    }

    private static boolean connectionState(String state) {
        if (state == null) return false;
        return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
    }
}
