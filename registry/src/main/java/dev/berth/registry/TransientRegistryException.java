package dev.berth.registry;

import java.time.Duration;

/** A failure worth retrying (5xx, 429, truncated body); thrown as is once retries run out. */
final class TransientRegistryException extends RegistryException {

    private final Duration retryAfter;

    /** @param retryAfter what the registry asked for via Retry-After, or null */
    TransientRegistryException(String registry, String repository, String what, int status, Duration retryAfter,
            Throwable cause) {
        super(registry, repository, what, status, cause);
        this.retryAfter = retryAfter;
    }

    Duration retryAfter() {
        return retryAfter;
    }
}
