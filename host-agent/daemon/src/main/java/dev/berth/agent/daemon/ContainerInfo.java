package dev.berth.agent.daemon;

import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.agent.protocol.IsolationCheck;
import dev.berth.agent.protocol.PublishedPort;
import dev.berth.agent.runtime.ExitStatus;
import java.util.List;
import java.util.Locale;

/**
 * One line of {@code berth-agent ps}. {@code exit} is null while the container runs; {@code health}
 * is null when the container has no health check.
 */
public record ContainerInfo(String name, String app, String status, long pid, ExitStatus exit, int restarts,
                            HealthTracker.Status health) {

    /** The container as the platform hears of it: health in lower case, exit code and OOM only once it exited. Pure. */
    public ContainerStatus status(List<PublishedPort> published, List<IsolationCheck> isolation) {
        return new ContainerStatus(name, app, status, exit == null ? null : exit.code(), exit != null && exit.oomKilled(),
                health == null ? null : health.name().toLowerCase(Locale.ROOT), restarts, published, isolation);
    }
}
