package dev.berth.agent.link;

import dev.berth.agent.protocol.Heartbeat;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends a heartbeat at start, every interval, and soon after something changed (an assignment
 * applied, a container started, became healthy or ended), so the platform learns quickly: at once
 * when the last heartbeat is older than {@link #COALESCE_MILLIS}, else when it is that old, so a
 * burst of changes goes out in a few heartbeats without the first change waiting for the rest.
 * While the platform cannot be reached it backs off, doubling up to a minute.
 */
final class Heartbeats implements Runnable {
    /** Heartbeats that report changes are at least this far apart, so changes that come in a burst share one. */
    static final long COALESCE_MILLIS = 50;

    private final PlatformCalls calls;
    private final PlatformLink.Agent agent;
    private final Duration interval;
    private final String hostId;
    private final LinkState state;
    private final Semaphore soon = new Semaphore(0);
    private int failures;
    private long lastBeatNanos;

    Heartbeats(PlatformCalls calls, PlatformLink.Agent agent, Duration interval, String hostId, PrintStream log) {
        this.calls = calls;
        this.agent = agent;
        this.interval = interval;
        this.hostId = hostId;
        this.state = new LinkState(log);
    }

    /** Asks for a heartbeat now rather than at the next interval. */
    void soon() {
        if (soon.availablePermits() == 0) soon.release();
    }

    @Override
    public void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Duration wait = beat();
                if (soon.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    Thread.sleep(holdMillis((System.nanoTime() - lastBeatNanos) / 1_000_000));
                    soon.drainPermits();
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** How long a change waits for its heartbeat when the last one went {@code sinceLastMillis} ago. Pure. */
    static long holdMillis(long sinceLastMillis) {
        return Math.max(0, COALESCE_MILLIS - sinceLastMillis);
    }

    /** Sends one heartbeat; the wait before the next. */
    private Duration beat() throws InterruptedException {
        lastBeatNanos = System.nanoTime();
        URI target = calls.platform();
        try {
            var heartbeat = new Heartbeat(Heartbeat.VERSION, Joining.hostCapacity(), containers(), agent.peerAddress(),
                    agent.edge());
            var response = calls.post(target, "agent/v1/heartbeat", heartbeat);
            int status = response.statusCode();
            if (status / 100 == 2) {
                failures = 0;
                state.is("up " + target, "heartbeats reach " + target + " (host " + hostId + ")");
                return interval;
            }
            String why = "HTTP " + status + PlatformCalls.detail(response.body());
            if (status == 401 || status == 403) {
                state.is("refused", "the platform refused this host's credential (" + why + "); retrying with backoff");
            } else {
                state.is("unreachable", "cannot reach " + target + " (" + why + "); retrying with backoff");
            }
        } catch (ContainersUnavailable e) {
            state.is("no-containers", "cannot list containers for the heartbeat (" + e.getMessage() + "); retrying with backoff");
        } catch (IOException | RuntimeException e) {
            state.is("unreachable", "cannot reach " + target + " (" + PlatformCalls.describe(e) + "); retrying with backoff");
        }
        failures++;
        return calls.retryAfter(target, LinkParts.nextDelay(interval, failures));
    }

    private java.util.List<dev.berth.agent.protocol.ContainerStatus> containers() throws ContainersUnavailable {
        try {
            return agent.statuses();
        } catch (IOException | RuntimeException e) {
            throw new ContainersUnavailable(PlatformCalls.describe(e));
        }
    }

    private static final class ContainersUnavailable extends IOException {
        ContainersUnavailable(String message) {
            super(message);
        }
    }
}
