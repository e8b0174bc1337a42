package dev.berth.agent.edge;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The text form of an access entry, one line per request, fields separated by one space:
 * {@code 2026-12-05T19:40:01.123Z GET /api/orders 200 3.2ms 512B} — the time Caddy logged it (UTC,
 * milliseconds), the method, the path without its query, the status, the duration in milliseconds
 * with one decimal and the response body's size in bytes. Method and path come from the client:
 * spaces, control characters and non-ASCII are percent-escaped so a line stays one line of six
 * fields, and they are cut at {@link #MAX_METHOD} and {@link #MAX_PATH} characters. Pure.
 */
public final class AccessLine {
    static final int MAX_METHOD = 16;
    static final int MAX_PATH = 2048;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** Apps as edges name them, {@code team/app}: team and app names as the platform allows them. */
    private static final Pattern APP = Pattern.compile("[a-z]([a-z0-9-]{0,61}[a-z0-9])?/[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private AccessLine() {
    }

    /** The line for {@code entry}, without its line break. */
    public static String format(AccessEntry entry) {
        double millis = entry.duration().toNanos() / 1e6;
        return TIME.format(entry.time()) + " " + escape(entry.method(), MAX_METHOD) + " " + escape(entry.path(), MAX_PATH) + " "
                + entry.status() + " " + String.format(Locale.ROOT, "%.1fms", millis) + " " + entry.bytes() + "B";
    }

    /**
     * The log stream an app's access lines are shipped as, {@code edge_TEAM.APP}; null for an app
     * name that is not {@code team/app}. The underscore keeps it apart from container names, which
     * the platform makes from team and app names and numbers, none of which has one.
     */
    public static String stream(String app) {
        if (app == null || !APP.matcher(app).matches()) return null;
        return "edge_" + app.replace('/', '.');
    }

    static String escape(String text, int max) {
        if (text == null || text.isEmpty()) return "-";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        var out = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean escaped = b <= 0x20 || b >= 0x7f || b == '%' && !isEscape(bytes, i);
            // Cut before a field would grow past max, never inside an escape.
            if (out.length() + (escaped ? 3 : 1) > max) break;
            if (escaped) out.append(String.format(Locale.ROOT, "%%%02X", b));
            else out.append((char) b);
        }
        return out.toString();
    }

    private static boolean isEscape(byte[] bytes, int at) {
        return at + 2 < bytes.length && hex(bytes[at + 1]) && hex(bytes[at + 2]);
    }

    private static boolean hex(byte c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
