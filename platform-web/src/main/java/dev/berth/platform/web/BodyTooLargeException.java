package dev.berth.platform.web;

import java.io.IOException;

/**
 * A request body went over its area's limit while being read. An {@link IOException}, so whatever
 * reads the body (Jackson, a converter, a controller) stops there; the edge answers 413.
 */
public final class BodyTooLargeException extends IOException {
    public BodyTooLargeException(String message) {
        super(message);
    }

    /** The first of these in {@code e}'s causes, or null. */
    public static BodyTooLargeException in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BodyTooLargeException b) return b;
        }
        return null;
    }
}
