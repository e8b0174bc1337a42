package dev.berth.uitests;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * Fixture work that runs beside other fixture work instead of before it: starting a registry, an
 * agent or a browser is mostly waiting for another process, which need not wait for the platform.
 */
final class SideBySide {
    private SideBySide() {
    }

    /** {@code work} begun on a thread of its own. */
    static <T> Future<T> begin(Callable<T> work) {
        var task = new FutureTask<>(work);
        Thread.ofVirtual().name("fixture").start(task);
        return task;
    }

    /** What {@code work} returned once it is done, or what it threw, as it threw it. */
    static <T> T result(Future<T> work) throws Exception {
        try {
            return work.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) throw error;
            throw (Exception) e.getCause();
        }
    }

    /** Closes what {@code work} returned once it is done, after a failure elsewhere; its own failure only printed. */
    static void closeWhenDone(Future<? extends AutoCloseable> work) {
        try {
            result(work).close();
        } catch (Exception e) {
            System.err.println("could not close a fixture begun side by side: " + e);
        }
    }
}
