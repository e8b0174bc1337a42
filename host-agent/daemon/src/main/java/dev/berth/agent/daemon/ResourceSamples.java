package dev.berth.agent.daemon;

import dev.berth.agent.metrics.ContainerSampler;
import dev.berth.agent.protocol.ContainerMetrics;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Samples every running container's resource use every {@link #PERIOD} and keeps the latest sample
 * of each, for the next heartbeat. A sample belongs to one process: a container that restarted
 * shows none until its new process is sampled, so counters never mix runs.
 */
final class ResourceSamples {
    static final Duration PERIOD = Duration.ofSeconds(10);

    private record Sample(long pid, ContainerMetrics metrics) {
    }

    private final Supplier<Collection<ManagedContainer>> containers;
    private final CgroupParent cgroups;
    private final ContainerSampler sampler;
    private final Map<String, Sample> latest = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("resource-samples").daemon().unstarted(r));

    ResourceSamples(Supplier<Collection<ManagedContainer>> containers, CgroupParent cgroups, ContainerSampler sampler) {
        this.containers = containers;
        this.cgroups = cgroups;
        this.sampler = sampler;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::sampleAll, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop() {
        timer.shutdownNow();
    }

    /** Samples each container with a live process now; forgets containers that are gone. */
    void sampleAll() {
        var seen = new HashSet<String>();
        for (ManagedContainer m : containers.get()) {
            seen.add(m.name());
            var process = m.process;
            if (process == null) continue;
            try {
                var pid = process.livePid();
                if (pid.isEmpty()) {
                    latest.remove(m.name());
                    continue;
                }
                sampler.sample(cgroups.cgroupsPath(m.name()), pid.get())
                        .ifPresentOrElse(s -> latest.put(m.name(), new Sample(pid.get(), s)), () -> latest.remove(m.name()));
            } catch (IOException | RuntimeException e) {
                latest.remove(m.name()); // its identity file could not be read: no sample rather than a stale one
            }
        }
        latest.keySet().retainAll(seen);
    }

    /** The latest sample of the container's process {@code pid}; null when there is none for that process. */
    ContainerMetrics of(String name, long pid) {
        var s = latest.get(name);
        return s != null && s.pid() == pid ? s.metrics() : null;
    }
}
