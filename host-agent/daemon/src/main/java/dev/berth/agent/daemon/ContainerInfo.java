package dev.berth.agent.daemon;

import dev.berth.agent.runtime.ExitStatus;

/**
 * One line of {@code berth-agent ps}. {@code exit} is null while the container runs; {@code health}
 * is null when the container has no health check.
 */
public record ContainerInfo(String name, String app, String status, long pid, ExitStatus exit, int restarts,
                            HealthTracker.Status health) {
}
