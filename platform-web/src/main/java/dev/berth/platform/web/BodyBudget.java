package dev.berth.platform.web;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request body bytes all requests together may hold while they are read. Every capped read
 * takes room before it reads and keeps what it read until its request ends, so a flood of
 * requests that each stay under their limit still cannot fill the heap: the ones that find no
 * room in time are answered 503.
 */
public final class BodyBudget {
    private final int bytes;
    private final Semaphore room;
    private final Duration wait;
    private final AtomicLong peak = new AtomicLong();

    public BodyBudget(long bytes, Duration wait) {
        if (bytes < 1 || bytes > Integer.MAX_VALUE) throw new IllegalArgumentException("a body budget of " + bytes + " bytes");
        this.bytes = (int) bytes;
        this.room = new Semaphore(this.bytes, true);
        this.wait = wait;
    }

    /** Takes room for {@code n} bytes, waiting up to the configured time; false when there was none. */
    boolean take(int n) throws InterruptedException {
        if (!room.tryAcquire(n, wait.toNanos(), TimeUnit.NANOSECONDS)) return false;
        peak.accumulateAndGet(inFlight(), Math::max);
        return true;
    }

    void give(int n) {
        if (n > 0) room.release(n);
    }

    /** Body bytes held by requests being served now. */
    public long inFlight() {
        return bytes - room.availablePermits();
    }

    /** The most body bytes held at once since start. */
    public long peak() {
        return peak.get();
    }

    public long capacity() {
        return bytes;
    }
}
