package dev.berth.platform.deployments;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Every host's assignment generation as last read, shared by all waiting long polls: when a
 * signal wakes them, one of them reads the table and the rest use that reading, instead of each
 * asking the database for its own host (200 agents waking at once took 200 connections).
 *
 * <p>A reading is tagged with the signal version seen <em>before</em> it began, so a poll that
 * saw version {@code v} uses only readings tagged {@code v} or later: they include every move
 * signalled up to {@code v}. Readings older than {@code maxAge} are taken again, the safety net
 * for a lost notice.
 */
final class GenerationBoard {
    private record Reading(long version, long takenAtNanos, Map<String, Long> generations) {
    }

    private final LongSupplier version;
    private final Supplier<Map<String, Long>> read;
    private final LongSupplier nanoTime;
    private final long maxAgeNanos;
    private final ReentrantLock reading = new ReentrantLock();
    private volatile Reading last;

    /**
     * @param version the signal version now
     * @param read every host's generation from the database
     * @param nanoTime the monotonic clock
     */
    GenerationBoard(LongSupplier version, Supplier<Map<String, Long>> read, LongSupplier nanoTime, Duration maxAge) {
        this.version = version;
        this.read = read;
        this.nanoTime = nanoTime;
        this.maxAgeNanos = maxAge.toNanos();
    }

    /** The generations as of signal version {@code seen} or later; null for a host absent from them. */
    Long generation(String hostId, long seen) {
        return current(seen).get(hostId);
    }

    private Map<String, Long> current(long seen) {
        Reading r = last;
        if (fresh(r, seen)) return r.generations();
        reading.lock();
        try {
            r = last;
            if (fresh(r, seen)) return r.generations(); // another poll read it meanwhile
            long v = version.getAsLong();
            long at = nanoTime.getAsLong();
            r = new Reading(v, at, Map.copyOf(read.get()));
            last = r;
            return r.generations();
        } finally {
            reading.unlock();
        }
    }

    private boolean fresh(Reading r, long seen) {
        return r != null && r.version() >= seen && nanoTime.getAsLong() - r.takenAtNanos() < maxAgeNanos;
    }
}
