package dev.berth.agent.daemon;

import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.net.NamespaceDialer;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.protocol.IsolationCheck;
import dev.berth.agent.runtime.ContainerProcess;
import java.util.List;

/**
 * A container this agent looks after: its settled spec, who started it, and what the agent holds
 * for its current run (process, namespace dialer, health, cached isolation report).
 */
final class ManagedContainer {
    final ContainerSpec spec;
    final ContainerDir dir;
    final IdRange ids;
    final AssignmentPlan.Owner owner;
    /** What the platform asked for, for platform containers; null for hand-started ones. */
    final String fingerprint;
    /**
     * Whether the platform lets it take traffic once ready (its assignment's {@code serving});
     * always true for hand-started ones. Changes without a restart.
     */
    volatile boolean admitted = true;

    volatile ContainerProcess process;
    volatile NamespaceDialer dialer;
    volatile int restarts;
    volatile long restartAtNanos;
    volatile boolean stopping;
    /** Between deleting an ended run and its successor running: neither lost nor exited. */
    volatile boolean launching;
    /** Set when an adopted container's published ports could not be opened again. */
    volatile boolean portsLost;
    /** Whether the supervisor has seen the current run end. */
    volatile boolean exitSeen;
    volatile HealthTracker health = HealthTracker.START;
    /** Counts runs, so a health loop of an earlier run stops. */
    volatile long run;
    volatile Isolation isolation;

    /** The isolation report of one process, measured once. */
    record Isolation(long pid, List<IsolationCheck> checks) {
    }

    ManagedContainer(ContainerSpec spec, ContainerDir dir, IdRange ids, AssignmentPlan.Owner owner, String fingerprint) {
        this.spec = spec;
        this.dir = dir;
        this.ids = ids;
        this.owner = owner;
        this.fingerprint = fingerprint;
    }

    String name() {
        return spec.name();
    }

    /** A network dialer is needed for published ports and HTTP or TCP health checks. */
    boolean needsNetwork() {
        return !spec.ports().isEmpty() || spec.health() instanceof dev.berth.agent.protocol.HealthCheck.Http
                || spec.health() instanceof dev.berth.agent.protocol.HealthCheck.Tcp;
    }
}
