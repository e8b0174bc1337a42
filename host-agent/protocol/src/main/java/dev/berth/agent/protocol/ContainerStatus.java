package dev.berth.agent.protocol;

import java.util.Objects;

/**
 * One container as a host agent last saw it. {@code exitCode} is null while it runs;
 * {@code health} is null when the container has no health check.
 *
 * @param state the runtime state, such as {@code created}, {@code running} or {@code stopped}
 * @param health {@code starting}, {@code healthy} or {@code unhealthy}, or null
 */
public record ContainerStatus(String name, String app, String state, Integer exitCode, boolean oomKilled, String health) {
    public ContainerStatus {
        Objects.requireNonNull(name, "name");
        if (app == null || app.isBlank()) app = name;
    }
}
