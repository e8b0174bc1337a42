package dev.berth.agent.daemon;

import dev.berth.agent.connect.Connects;
import dev.berth.agent.connect.LocalReplicas;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The held containers as {@link Connects} sees them: platform containers that run now with their
 * spec's connects (the consumers), and which of them take traffic (the local backends).
 */
final class ConnectedContainers implements LocalReplicas {
    private final HeldContainers containers;

    ConnectedContainers(HeldContainers containers) {
        this.containers = containers;
    }

    /** Every platform container whose process runs now and whose spec connects to another app. */
    List<Connects.Consumer> consumers() {
        var out = new ArrayList<Connects.Consumer>();
        for (ManagedContainer m : containers.sorted()) {
            if (m.owner != AssignmentPlan.Owner.PLATFORM || m.spec.network() == null || m.spec.network().connects().isEmpty()) continue;
            pid(m).ifPresent(pid -> out.add(new Connects.Consumer(m.name(), m.spec.app(), pid, m.spec.network().connects())));
        }
        return out;
    }

    @Override
    public OptionalLong servingPid(String container) {
        return serving(container).flatMap(ConnectedContainers::pid).map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    /** The app of {@code container} while it takes traffic (see {@link #servingPid}); empty otherwise. */
    Optional<String> servingApp(String container) {
        return serving(container).filter(m -> pid(m).isPresent()).map(m -> m.spec.app());
    }

    /** A platform container let into traffic, healthy if it has a check, not stopping. */
    private Optional<ManagedContainer> serving(String container) {
        ManagedContainer m;
        try {
            m = containers.get(container);
        } catch (IOException none) {
            return Optional.empty();
        }
        boolean healthy = m.spec.health() == null || m.health.status() == HealthTracker.Status.HEALTHY;
        if (m.owner != AssignmentPlan.Owner.PLATFORM || !m.admitted || m.stopping || !healthy) return Optional.empty();
        return Optional.of(m);
    }

    /** The process of its current run while it runs. */
    private static Optional<Long> pid(ManagedContainer m) {
        var process = m.process;
        if (process == null || m.stopping) return Optional.empty();
        try {
            return process.exitStatus().isPresent() ? Optional.empty() : process.livePid();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
