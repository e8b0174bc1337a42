package dev.berth.agent;

import java.time.Duration;

/** Waits in tests for what the agent does on its own threads. */
public final class Await {
    private Await() {
    }

    /** A condition that may throw while it is not yet true. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Returns once {@code condition} holds; fails after a minute. */
    public static void until(Condition condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out");
            Thread.sleep(20);
        }
    }
}
