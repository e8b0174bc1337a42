package dev.berth.agent.bundle;

/**
 * A block of host ids that container ids 0..size-1 map to. Host ids below 65536 are never handed
 * out, so container root is never anyone on the host.
 */
public record IdRange(long hostStart, long size) {
    public static final long SIZE = 65536;
    public static final long FIRST = 65536;

    public IdRange {
        if (hostStart < FIRST) throw new IllegalArgumentException("host id ranges start at " + FIRST + " or above, not " + hostStart);
        if (size <= 0) throw new IllegalArgumentException("an id range needs a positive size");
    }

    public long hostEnd() {
        return hostStart + size;
    }

    public boolean overlaps(IdRange other) {
        return hostStart < other.hostEnd() && other.hostStart < hostEnd();
    }
}
