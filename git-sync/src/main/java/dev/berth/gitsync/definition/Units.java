package dev.berth.gitsync.definition;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Sizes, CPU and durations as written in berth.yaml. Each parser returns null when the text is
 * not in the format; numbers too large to hold saturate to the maximum so that the range check
 * reports them as "at most ...".
 */
final class Units {
    private static final Pattern SIZE = Pattern.compile("(\\d+)(Ki|Mi|Gi)?");
    private static final Pattern DECIMAL_UNIT = Pattern.compile("\\d+(?:[kKmMgGtT][bB]?|[bB]|Ti)");
    private static final Pattern CORES = Pattern.compile("(\\d+)(?:\\.(\\d{1,3}))?");
    private static final Pattern MILLICORES = Pattern.compile("(\\d+)m");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private Units() {
    }

    /** Bytes for {@code 1024}, {@code 64Ki}, {@code 128Mi}, {@code 2Gi}. */
    static Long size(String text) {
        var m = SIZE.matcher(text);
        if (!m.matches()) return null;
        long n = number(m.group(1));
        int shift = m.group(2) == null ? 0 : switch (m.group(2)) {
            case "Ki" -> 10;
            case "Mi" -> 20;
            default -> 30;
        };
        return n > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : n << shift;
    }

    /** True for the units people often write by habit (128M, 1GB), to say which to use instead. */
    static boolean looksLikeDecimalSize(String text) {
        return DECIMAL_UNIT.matcher(text).matches();
    }

    /** Millicores for {@code 0.5}, {@code 2}, {@code 500m}; null also for finer than 1m. */
    static Integer cpu(String text) {
        var m = MILLICORES.matcher(text);
        if (m.matches()) return saturate(number(m.group(1)));
        m = CORES.matcher(text);
        if (!m.matches()) return null;
        long cores = number(m.group(1));
        String fraction = m.group(2) == null ? "" : m.group(2);
        long millis = fraction.isEmpty() ? 0 : Long.parseLong((fraction + "00").substring(0, 3));
        return cores > Integer.MAX_VALUE / 1000 ? Integer.MAX_VALUE : saturate(cores * 1000 + millis);
    }

    /** {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}. */
    static Duration duration(String text) {
        var m = DURATION.matcher(text);
        if (!m.matches()) return null;
        long n = Math.min(number(m.group(1)), 1_000_000_000L); // far beyond any limit, far from overflow
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** Human form of a size, in the largest unit that divides it exactly. */
    static String formatSize(long bytes) {
        if (bytes > 0 && bytes % (1L << 30) == 0) return (bytes >> 30) + "Gi";
        if (bytes > 0 && bytes % (1L << 20) == 0) return (bytes >> 20) + "Mi";
        if (bytes > 0 && bytes % (1L << 10) == 0) return (bytes >> 10) + "Ki";
        return Long.toString(bytes);
    }

    static String formatCpu(int millis) {
        return millis % 1000 == 0 ? Integer.toString(millis / 1000) : millis + "m";
    }

    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) return ms / 3_600_000 + "h";
        if (ms % 60_000 == 0) return ms / 60_000 + "m";
        if (ms % 1000 == 0) return ms / 1000 + "s";
        return ms + "ms";
    }

    /** Decimal digits to a long, saturating instead of overflowing. */
    private static long number(String digits) {
        String trimmed = digits.replaceFirst("^0+(?=\\d)", "");
        return trimmed.length() > 18 ? Long.MAX_VALUE : Long.parseLong(trimmed);
    }

    private static int saturate(long n) {
        return (int) Math.min(n, Integer.MAX_VALUE);
    }
}
