package dev.berth.agent.link;

import dev.berth.backoff.Backoff;
import java.net.URI;
import java.time.Duration;

/** The pure parts of the platform link: where it calls and when the next attempt goes. */
public final class LinkParts {
    /** The longest wait between heartbeat attempts while the platform is unreachable. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private LinkParts() {
    }

    /** An agent endpoint under the platform URL, keeping any path the platform is served under. */
    public static URI endpoint(URI platform, String relativePath) {
        String base = platform.toString();
        return URI.create(base.endsWith("/") ? base : base + "/").resolve(relativePath);
    }

    /** MemTotal of a {@code /proc/meminfo} text in bytes; 0 when it is not there. */
    public static long memTotalBytes(String meminfo) {
        for (String line : meminfo.split("\n")) {
            if (!line.startsWith("MemTotal:")) continue;
            String[] parts = line.substring("MemTotal:".length()).trim().split("\\s+");
            try {
                long value = Long.parseLong(parts[0]);
                if (value < 0) return 0;
                boolean kib = parts.length > 1 && parts[1].equalsIgnoreCase("kB");
                return kib ? Math.multiplyExact(value, 1024L) : value;
            } catch (NumberFormatException | ArithmeticException e) {
                return 0;
            }
        }
        return 0;
    }

    /**
     * The wait before the next heartbeat: the interval after a success, then doubling from the
     * interval with each failure in a row, capped at {@link #MAX_BACKOFF} (or the interval, when longer).
     */
    public static Duration nextDelay(Duration interval, int failuresInARow) {
        if (failuresInARow <= 0) return interval;
        Duration cap = interval.compareTo(MAX_BACKOFF) > 0 ? interval : MAX_BACKOFF;
        return new Backoff(interval, cap).delay(failuresInARow);
    }
}
