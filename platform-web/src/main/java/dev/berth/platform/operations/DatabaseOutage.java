package dev.berth.platform.operations;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * Tells a failure caused by the platform's database being unreachable from any other, purely from
 * the exception and its causes, and says so to callers in one sentence. Used by every edge that
 * answers while PostgreSQL is away: the API, git over HTTP, the agents' endpoints, the dashboard.
 */
public final class DatabaseOutage {
    /** What callers are told while the database is unreachable. */
    public static final String SENTENCE =
            "the platform's database is unreachable; running apps are not affected; try again shortly";
    /** The problem document's title. */
    public static final String TITLE = "Database unavailable";
    /** Seconds a client should wait before retrying ({@code Retry-After}). */
    public static final int RETRY_AFTER_SECONDS = 5;
    /** Causes followed at most; a chain this deep is not a driver's. */
    private static final int MAX_DEPTH = 32;

    private DatabaseOutage() {
    }

    /**
     * True when {@code failure} or one of its causes says the database could not be reached: the
     * pool timed out waiting for a connection, no connection could be had, or PostgreSQL reported a
     * connection failure (SQLSTATE class 08) or its own shutdown (57P01..57P03).
     */
    public static boolean in(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.size() < MAX_DEPTH && seen.add(t); t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof CannotGetJdbcConnectionException) return true;
            if (t instanceof SQLException sql && connectionState(sql.getSQLState())) return true;
        }
        return false;
    }

    private static boolean connectionState(String state) {
        if (state == null) return false;
        return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
    }
}
