package dev.berth.agent.daemon;

import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.runtime.LogFile;
import dev.berth.backoff.Backoff;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Every half second: keeps container logs capped, notices runs that ended (they stop serving at
 * once), and restarts containers that failed when their policy says so, with backoff doubling from
 * a second up to {@link #MAX_BACKOFF}.
 */
final class Supervisor implements AutoCloseable {
    static final long LOG_MAX_BYTES = 8L << 20;
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final System.Logger log = System.getLogger(Supervisor.class.getName());

    private final Supplier<Collection<ManagedContainer>> containers;
    private final ContainerLauncher launcher;
    private final Runnable changed;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("supervisor").daemon().unstarted(r));

    Supervisor(Supplier<Collection<ManagedContainer>> containers, ContainerLauncher launcher, Runnable changed) {
        this.containers = containers;
        this.launcher = launcher;
        this.changed = changed;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::round, 500, 500, TimeUnit.MILLISECONDS);
    }

    private void round() {
        for (ManagedContainer m : containers.get()) {
            try {
                supervise(m);
            } catch (IOException | RuntimeException e) {
                log.log(System.Logger.Level.WARNING, "supervising " + m.name() + " failed: " + e.getMessage());
            }
        }
    }

    private void supervise(ManagedContainer m) throws IOException {
        new LogFile(m.dir.log(), LOG_MAX_BYTES, 3).rotateIfNeeded();
        var exit = m.process.exitStatus();
        if (exit.isPresent() && !m.exitSeen) {
            m.exitSeen = true;
            m.isolation = null;
            launcher.updateServing(m);
            changed.run();
        }
        if (exit.isEmpty() || m.stopping || exit.get().success() || m.spec.restart() != ContainerSpec.RestartPolicy.ON_FAILURE) {
            return;
        }
        long now = System.nanoTime();
        if (m.restartAtNanos == 0) {
            long backoff = new Backoff(Duration.ofSeconds(1), MAX_BACKOFF).delay(m.restarts + 1).toMillis();
            m.restartAtNanos = now + TimeUnit.MILLISECONDS.toNanos(backoff);
        } else if (now >= m.restartAtNanos) {
            m.restartAtNanos = 0;
            m.restarts++;
            launcher.relaunch(m);
            changed.run();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
