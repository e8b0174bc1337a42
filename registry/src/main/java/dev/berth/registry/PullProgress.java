package dev.berth.registry;

/**
 * Receives download progress. Called from download threads, possibly several at once; keep it
 * quick. {@code done} restarts at 0 when a download is retried.
 */
@FunctionalInterface
public interface PullProgress {

    /** Reports nothing. */
    PullProgress NONE = (digest, done, total) -> {
    };

    /**
     * @param digest the blob being downloaded
     * @param done   bytes received so far
     * @param total  bytes expected (the descriptor size)
     */
    void blob(String digest, long done, long total);
}
