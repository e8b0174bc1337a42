package dev.berth.agent.daemon;

import dev.berth.agent.runtime.Runc;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs each container's health check on its own {@link dev.berth.agent.protocol.HealthTiming}:
 * the first attempt as soon as the process runs and, until one passes, again soon: 10 ms after a
 * failure, doubling up to 250 ms ({@link HealthTracker#nextCheckMillis}), so a healthy container
 * serves within milliseconds of listening; then one an interval after each attempt ends. Attempts
 * run on virtual threads, one at a time per container; a loop ends with the run it was started for.
 */
final class HealthChecks implements AutoCloseable {
    private final Runc runc;
    private final Consumer<ManagedContainer> changed;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("health-timer").daemon().unstarted(r));

    /** @param changed told when a container's health status changes */
    HealthChecks(Runc runc, Consumer<ManagedContainer> changed) {
        this.runc = runc;
        this.changed = changed;
    }

    /** Starts checking the container's current run, now; the run before it stops being checked. */
    void watch(ManagedContainer m) {
        if (m.spec.health() == null) return;
        long run = m.run;
        submit(() -> attempt(m, run), 0);
    }

    private void attempt(ManagedContainer m, long run) {
        if (run != m.run || ended(m)) return;
        Thread.ofVirtual().name("health-" + m.name()).start(() -> {
            var timing = m.spec.healthTiming();
            boolean passed = HealthProbe.passes(m.spec.health(), m.dialer, runc, m.name(), Duration.ofMillis(timing.timeoutMillis()));
            if (run != m.run) return;
            var before = m.health;
            m.health = before.next(passed, timing);
            if (m.health.status() != before.status()) changed.accept(m);
            submit(() -> attempt(m, run), m.health.nextCheckMillis(timing));
        });
    }

    private static boolean ended(ManagedContainer m) {
        try {
            return m.process == null || m.process.exitStatus().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    private void submit(Runnable task, long delayMillis) {
        try {
            timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // the agent is closing
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
