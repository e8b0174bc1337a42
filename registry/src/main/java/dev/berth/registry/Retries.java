package dev.berth.registry;

import dev.berth.image.ImageReference;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;

/**
 * Runs a registry call again after transient failures (5xx, 408, 429, connection trouble,
 * truncated bodies) as the {@link RetryPolicy} allows, waiting its backoff or the registry's
 * Retry-After; anything else (a refusal, a local disk that cannot store the blob) fails at once.
 */
final class Retries {
    private static final System.Logger LOG = System.getLogger(RegistryClient.class.getName());

    private final RegistryConfig config;
    private final RetryPolicy policy;
    private final Sleeper sleeper;

    Retries(RegistryConfig config, Sleeper sleeper) {
        this.config = config;
        this.policy = config.retry();
        this.sleeper = sleeper;
    }

    /** One try of a call. */
    @FunctionalInterface
    interface Attempt<T> {
        T run() throws IOException;
    }

    /** The result of {@code attempt}, tried again while its failures are transient and tries remain. */
    <T> T run(ImageReference repo, String what, Attempt<T> attempt) throws IOException {
        for (int n = 1; ; n++) {
            Duration wait;
            try {
                return attempt.run();
            } catch (TransientRegistryException e) {
                if (n >= policy.attempts()) throw e;
                wait = e.retryAfter() != null && e.retryAfter().compareTo(policy.maxBackoff()) <= 0
                        ? e.retryAfter() : policy.backoff(n);
                LOG.log(System.Logger.Level.DEBUG, "{0}: {1}; retrying in {2}", repo.repositoryName(), e.getMessage(), wait);
            } catch (RegistryException | BlobNotStored | InterruptedIOException e) {
                throw e;
            } catch (javax.net.ssl.SSLException e) {
                // A TLS failure does not heal by retrying; the usual cause is a registry that speaks plain HTTP.
                throw new RegistryException(repo.registry(), repo.repository(), what + " failed: " + describe(e)
                        + (config.isInsecure(repo.registry()) ? "" : "; if this registry speaks plain HTTP, allow it with"
                        + " --insecure-registry " + repo.registry() + " (or insecureRegistries in the agent's configuration)"), 0, e);
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) throw interrupted(what, e);
                if (n >= policy.attempts()) {
                    throw new RegistryException(repo.registry(), repo.repository(), what + " failed after " + n
                            + " attempts: " + describe(e), 0, e);
                }
                wait = policy.backoff(n);
                LOG.log(System.Logger.Level.DEBUG, "{0}: {1} failed ({2}); retrying in {3}", repo.repositoryName(),
                        what, describe(e), wait);
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw interrupted(what, ie);
            }
        }
    }

    /** An interruption of {@code what}, as the I/O exception callers expect. */
    static InterruptedIOException interrupted(String what, Throwable cause) {
        InterruptedIOException e = new InterruptedIOException(what + " was interrupted");
        e.initCause(cause);
        return e;
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m != null ? ": " + m : "");
    }
}
