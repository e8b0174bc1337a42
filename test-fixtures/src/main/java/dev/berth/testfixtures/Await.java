package dev.berth.testfixtures;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polling until something a test waits for holds, failing with what was seen last. */
public final class Await {
    private static final Duration POLL = Duration.ofMillis(100);

    private Await() {
    }

    /**
     * Asks {@code probe} every 100 ms until {@code condition} holds for its answer, and returns that
     * answer; an AssertionError naming {@code what} and the last answer when {@code within} passes first.
     */
    public static <T> T until(Duration within, String what, Supplier<T> probe, Predicate<T> condition) throws InterruptedException {
        var deadline = Instant.now().plus(within);
        T last = null;
        while (Instant.now().isBefore(deadline)) {
            last = probe.get();
            if (condition.test(last)) return last;
            Thread.sleep(POLL);
        }
        throw new AssertionError("not within " + within + ": " + what + "; last seen: " + last);
    }
}
