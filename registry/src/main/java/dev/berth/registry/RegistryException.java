package dev.berth.registry;

import java.io.IOException;

/**
 * A registry operation failed. The message names the registry, the repository, what failed and
 * the HTTP status when there was one; it never contains credentials or tokens.
 */
public class RegistryException extends IOException {

    private final String registry;
    private final String repository;
    private final int status;

    /**
     * @param repository the repository path, or null when the failure is not about one
     * @param status     the HTTP status, or 0 when there was no (relevant) response
     */
    public RegistryException(String registry, String repository, String what, int status, Throwable cause) {
        super(message(registry, repository, what, status), cause);
        this.registry = registry;
        this.repository = repository;
        this.status = status;
    }

    public RegistryException(String registry, String repository, String what, int status) {
        this(registry, repository, what, status, null);
    }

    private static String message(String registry, String repository, String what, int status) {
        return registry + (repository != null ? "/" + repository : "") + ": " + what
                + (status > 0 ? " (HTTP " + status + ")" : "");
    }

    /** The registry host[:port]. */
    public String registry() {
        return registry;
    }

    /** The repository path, or null. */
    public String repository() {
        return repository;
    }

    /** The HTTP status, or 0 when the failure did not come with one. */
    public int status() {
        return status;
    }
}
