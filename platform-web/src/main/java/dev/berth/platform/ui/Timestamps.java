package dev.berth.platform.ui;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How the dashboard writes instants: always UTC, so times on screen match the audit export and
 * the API whatever zone the browser is in.
 */
public final class Timestamps {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    /** The instant in UTC, or an empty string when there is none. */
    public static String format(Instant instant) {
        return instant == null ? "" : FORMAT.format(instant);
    }
}
