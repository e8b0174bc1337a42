package dev.berth.agent.protocol;

import java.util.Map;
import java.util.Objects;

/**
 * One container the platform wants on a host: its spec, plus the values of the secrets the spec's
 * app references, which the agent adds to the environment and never writes to its logs. The
 * platform sends a secret only to hosts that run a container referencing it.
 *
 * @param spec the container; a published port with {@code hostPort} 0 gets a port from the
 *             agent's range, stable per app and container port
 * @param revision the app revision this container runs, for reports
 * @param secrets secret name to value; empty when the app references none
 * @param serving whether the container may take connections on its app's published ports once it
 *                is running and healthy; false keeps it out of traffic while it runs and is
 *                health-checked (a blue-green rollout's new replicas before the switch). Flipping
 *                it never restarts the container. Absent (an older platform) means true.
 */
public record AssignedContainer(ContainerSpec spec, long revision, Map<String, String> secrets, Boolean serving) {
    public AssignedContainer {
        Objects.requireNonNull(spec, "spec");
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
        if (serving == null) serving = true;
    }

    /** A container that serves as soon as it is healthy. */
    public AssignedContainer(ContainerSpec spec, long revision, Map<String, String> secrets) {
        this(spec, revision, secrets, true);
    }

    /** Never prints secret values. */
    @Override
    public String toString() {
        return "AssignedContainer[spec=" + spec.name() + ", revision=" + revision + ", secrets=" + secrets.keySet()
                + ", serving=" + serving + "]";
    }
}
