package dev.berth.agent.protocol;

import java.util.List;
import java.util.Objects;

/**
 * One container as a host agent last saw it. {@code exitCode} is null while it runs;
 * {@code health} is null when the container has no health check.
 *
 * @param state the runtime state, such as {@code created}, {@code running} or {@code stopped};
 *              for an assigned container the agent does not run yet, {@code starting} (being
 *              prepared, such as pulling its image) or {@code failed} (it could not be started and
 *              is retried with backoff)
 * @param health {@code starting}, {@code healthy} or {@code unhealthy}, or null
 * @param restarts how often the agent restarted it after a failure; 0 when an older agent leaves it out
 * @param published where its published ports are served; empty when it publishes none
 * @param isolation the isolation report measured on the live process; empty until measured or once it exited
 * @param error why it could not be started (bad image, port in use, pull failure...), at most
 *              {@link #MAX_ERROR} characters, while it is {@code failed}; null otherwise and from older agents
 * @param refused what the firewall refused it, the most recently seen first, at most {@link #MAX_REFUSED};
 *                empty when nothing was and from older agents
 * @param refusedLeftOut how many more refused destinations were left out of {@code refused}; 0 from older agents
 * @param metrics its latest resource sample while it runs; null before the first sample, once it
 *                exited and from older agents (an older platform ignores the field)
 */
public record ContainerStatus(String name, String app, String state, Integer exitCode, boolean oomKilled, String health,
                              Integer restarts, List<PublishedPort> published, List<IsolationCheck> isolation,
                              String error, List<RefusedDestination> refused, Integer refusedLeftOut,
                              ContainerMetrics metrics) {
    /** The longest {@code error} an agent sends. */
    public static final int MAX_ERROR = 1000;
    /** The most refused destinations an agent sends per container. */
    public static final int MAX_REFUSED = 50;

    public ContainerStatus {
        Objects.requireNonNull(name, "name");
        if (app == null || app.isBlank()) app = name;
        if (restarts == null) restarts = 0;
        published = published == null ? List.of() : List.copyOf(published);
        isolation = isolation == null ? List.of() : List.copyOf(isolation);
        refused = refused == null ? List.of() : List.copyOf(refused);
        if (refusedLeftOut == null) refusedLeftOut = 0;
    }

    /** A status without a resource sample. */
    public ContainerStatus(String name, String app, String state, Integer exitCode, boolean oomKilled, String health,
                           Integer restarts, List<PublishedPort> published, List<IsolationCheck> isolation,
                           String error, List<RefusedDestination> refused, Integer refusedLeftOut) {
        this(name, app, state, exitCode, oomKilled, health, restarts, published, isolation, error, refused,
                refusedLeftOut, null);
    }

    /** This status with a resource sample (null for none). */
    public ContainerStatus withMetrics(ContainerMetrics metrics) {
        return new ContainerStatus(name, app, state, exitCode, oomKilled, health, restarts, published, isolation, error,
                refused, refusedLeftOut, metrics);
    }

    /** A status without refusals. */
    public ContainerStatus(String name, String app, String state, Integer exitCode, boolean oomKilled, String health,
                           Integer restarts, List<PublishedPort> published, List<IsolationCheck> isolation, String error) {
        this(name, app, state, exitCode, oomKilled, health, restarts, published, isolation, error, List.of(), 0);
    }

    /** This status with what the firewall refused the container. */
    public ContainerStatus withRefused(List<RefusedDestination> refused, int refusedLeftOut) {
        return new ContainerStatus(name, app, state, exitCode, oomKilled, health, restarts, published, isolation, error,
                refused, refusedLeftOut, metrics);
    }

    /** A status without an error. */
    public ContainerStatus(String name, String app, String state, Integer exitCode, boolean oomKilled, String health,
                           Integer restarts, List<PublishedPort> published, List<IsolationCheck> isolation) {
        this(name, app, state, exitCode, oomKilled, health, restarts, published, isolation, null, List.of(), 0);
    }

    /** A status without restarts, published ports, an isolation report or an error. */
    public ContainerStatus(String name, String app, String state, Integer exitCode, boolean oomKilled, String health) {
        this(name, app, state, exitCode, oomKilled, health, 0, List.of(), List.of(), null, List.of(), 0);
    }
}
