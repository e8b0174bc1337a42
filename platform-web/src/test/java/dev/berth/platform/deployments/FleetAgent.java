package dev.berth.platform.deployments;

import dev.berth.agent.protocol.Assignment;
import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.agent.protocol.Heartbeat;
import dev.berth.agent.protocol.HostCapacity;
import dev.berth.platform.Api;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * One of many protocol-level agents in one JVM, at a real agent's pace (unlike {@link SimulatedAgent},
 * which beats every 150 ms for quick tests): a heartbeat every {@code interval} and one soon after
 * an assignment changed, and a long poll of {@code waitSeconds}, as {@code berth-agent} does by
 * default. Every container assigned reports running and healthy. It notes when each container name
 * first reached it and how long each heartbeat took.
 */
final class FleetAgent implements AutoCloseable {
    final String hostId;
    private final Api agent;
    private final Duration interval;
    private final int waitSeconds;
    private final Map<String, Long> firstSeenNanos = new ConcurrentHashMap<>();
    private final Queue<Double> heartbeatMillis = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    /** The containers it runs: name to agent-side app name. */
    private volatile Map<String, String> containers = Map.of();
    private volatile long generation = -1;
    private volatile boolean running = true;
    private volatile Thread beater;
    volatile String failure;

    private FleetAgent(String hostId, Api agent, Duration interval, int waitSeconds) {
        this.hostId = hostId;
        this.agent = agent;
        this.interval = interval;
        this.waitSeconds = waitSeconds;
    }

    /** Registers with a fresh join token, then polls and beats until closed. */
    static FleetAgent join(Api admin, String hostname, Duration interval, int waitSeconds) {
        var registration = SimulatedAgent.register(admin, hostname, SimulatedAgent.MEMORY, SimulatedAgent.CPU, "fleet");
        var fleet = new FleetAgent(registration.hostId(), registration.api(), interval, waitSeconds);
        fleet.threads.add(Thread.ofVirtual().name("fleet-poll-" + hostname).start(fleet::poll));
        fleet.beater = Thread.ofVirtual().name("fleet-beat-" + hostname).start(fleet::beat);
        fleet.threads.add(fleet.beater);
        return fleet;
    }

    /** When {@code container} first reached this agent in an assignment ({@link System#nanoTime}), if it did. */
    Long firstSeen(String container) {
        return firstSeenNanos.get(container);
    }

    /** The round trips of its heartbeats so far, in ms, and forgets them. */
    List<Double> drainHeartbeats() {
        var out = new ArrayList<Double>();
        for (Double d; (d = heartbeatMillis.poll()) != null; ) out.add(d);
        return out;
    }

    long generation() {
        return generation;
    }

    private void poll() {
        while (running) {
            var r = agent.get("/agent/v1/assignments?after=" + generation + "&wait=" + waitSeconds);
            if (!running) return;
            if (r.status() == 200) {
                long now = System.nanoTime();
                var a = Api.JSON.readValue(r.body(), Assignment.class);
                var running = new LinkedHashMap<String, String>();
                a.containers().forEach(c -> running.put(c.spec().name(), c.spec().app()));
                running.keySet().forEach(n -> firstSeenNanos.putIfAbsent(n, now));
                containers = running;
                generation = a.generation();
                // A real agent reports a change soon rather than at its next interval.
                LockSupport.unpark(beater);
            } else if (r.status() != 204) {
                failure = "assignments: " + r;
                LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
            }
        }
    }

    private void beat() {
        while (running) {
            var statuses = containers.entrySet().stream().map(c -> new ContainerStatus(c.getKey(), c.getValue(), "running", null,
                    false, "healthy", 0, List.of(), List.of())).toList();
            long start = System.nanoTime();
            var r = agent.post("/agent/v1/heartbeat", new Heartbeat(Heartbeat.VERSION, new HostCapacity(SimulatedAgent.MEMORY,
                    SimulatedAgent.CPU), statuses, null, null));
            heartbeatMillis.add((System.nanoTime() - start) / 1e6);
            if (r.status() != 204) failure = "heartbeat: " + r;
            LockSupport.parkNanos(interval.toNanos());
        }
    }

    /** Stops polling and beating without waiting: a poll in flight is interrupted. */
    void stop() {
        running = false;
        threads.forEach(Thread::interrupt);
    }

    @Override
    public void close() {
        stop();
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
