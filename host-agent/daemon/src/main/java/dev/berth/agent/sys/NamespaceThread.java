package dev.berth.agent.sys;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Work done inside another network namespace. A thread's namespace is its own (sockets it makes,
 * netlink, {@code /proc/sys/net} answer for it), so the work runs on a platform thread started for
 * it that enters the namespace first and ends with the work: no thread outside ever finds itself
 * in a container's namespace.
 */
public final class NamespaceThread {
    /** What runs inside. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws IOException;
    }

    private NamespaceThread() {
    }

    /**
     * Runs {@code work} inside the network namespace {@code netns} (a pin or {@code /proc/PID/ns/net})
     * and waits for it; its result, or what it threw.
     *
     * @param name the thread's name, for thread dumps
     */
    public static <T> T call(Path netns, String name, Work<T> work) throws IOException {
        var result = new AtomicReference<T>();
        var failure = new AtomicReference<Throwable>();
        Thread t = Thread.ofPlatform().name(name).daemon().start(() -> {
            try {
                SyscallPort.enterNamespace(netns, SyscallPort.CLONE_NEWNET);
                result.set(work.run());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while working inside " + netns);
        }
        switch (failure.get()) {
            case null -> {
                return result.get();
            }
            case IOException e -> throw e;
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IOException(failure.get());
        }
    }
}
