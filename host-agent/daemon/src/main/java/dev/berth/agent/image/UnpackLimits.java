package dev.berth.agent.image;

/**
 * Caps on what one layer may write: total bytes of regular file content and number of tar entries.
 *
 * @param maxBytes   the sum of all regular file sizes in the layer
 * @param maxEntries the number of tar entries, whiteouts and skipped entries included
 */
public record UnpackLimits(long maxBytes, long maxEntries) {
    public static final UnpackLimits DEFAULT = new UnpackLimits(8L << 30, 1_000_000);

    public UnpackLimits {
        if (maxBytes < 0 || maxEntries < 0) throw new IllegalArgumentException("limits must not be negative");
    }

    /**
     * Bound on the decompressed tar stream itself, so headers and padding cannot grow without end
     * (a huge PAX header is read into memory): content plus a generous allowance per entry.
     */
    long maxStreamBytes() {
        long perEntry = 16L * 1024;
        long headers = maxEntries > Long.MAX_VALUE / perEntry ? Long.MAX_VALUE / 2 : maxEntries * perEntry;
        long sum = maxBytes + headers + (1L << 20);
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
