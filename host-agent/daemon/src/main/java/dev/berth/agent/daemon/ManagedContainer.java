package dev.berth.agent.daemon;

import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.containernet.NetworkStart;
import dev.berth.agent.net.NamespaceDialer;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.protocol.IsolationCheck;
import dev.berth.agent.runtime.ContainerProcess;
import java.io.IOException;
import java.time.Instant;
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

    /** Whether its bundle joins the network namespace the agent makes for each run (bundles of older agents do not). */
    volatile boolean joinsNetns;
    volatile ContainerProcess process;
    /** A new container's network, begun while its bundle was written, until its first run starts with it. */
    volatile NetworkStart begunNetwork;
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
    /** When its preparation began, its current run started and first passed its check; null for an adopted one. */
    volatile StartTimeline timeline;

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

    /** A run's process runs from {@code at}. */
    void ran(Instant at) {
        var t = timeline;
        if (t != null) timeline = t.ranAt(at);
    }

    /** The current run passed its health check at {@code at}. */
    void passed(Instant at) {
        var t = timeline;
        if (t != null) timeline = t.healthyAt(at);
    }

    /** Where it is now, for {@code ps} and statuses: exited, running (with its pid) or what runc says. */
    ContainerInfo info() throws IOException {
        var exit = process.exitStatus().orElse(null);
        if (exit != null) return new ContainerInfo(name(), spec.app(), "exited", 0, exit, restarts, null);
        // The pid file and /proc answer without spawning runc; runc is asked only when they cannot.
        var pid = process.livePid();
        var healthStatus = spec.health() == null ? null : health.status();
        if (pid.isPresent()) return new ContainerInfo(name(), spec.app(), "running", pid.get(), null, restarts, healthStatus);
        String status = runtimeStatus();
        long statePid = status.equals("running") ? process.state().pid() : 0;
        return new ContainerInfo(name(), spec.app(), status, statePid, null, restarts, healthStatus);
    }

    /** What runc says of it, {@code unknown} when runc cannot say. */
    String runtimeStatus() {
        try {
            return process.state().status();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Its ports could not be opened again, or it is neither running nor ended with a status (and not between runs). */
    boolean lost() {
        if (portsLost) return true;
        if (launching) return false;
        try {
            if (process.exitStatus().isPresent() || process.livePid().isPresent()) return false;
            String status = runtimeStatus();
            return !(status.equals("running") || status.equals("created") || status.equals("paused"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A network dialer is needed for published ports and HTTP or TCP health checks. */
    boolean needsNetwork() {
        return !spec.ports().isEmpty() || spec.health() instanceof dev.berth.agent.protocol.HealthCheck.Http
                || spec.health() instanceof dev.berth.agent.protocol.HealthCheck.Tcp;
    }
}
