package dev.berth.platform.deployments;

import dev.berth.agent.protocol.AssignedContainer;
import dev.berth.agent.protocol.Assignment;
import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.agent.protocol.Heartbeat;
import dev.berth.agent.protocol.HostCapacity;
import dev.berth.agent.protocol.IsolationCheck;
import dev.berth.agent.protocol.PublishedPort;
import dev.berth.agent.protocol.RefusedDestination;
import dev.berth.platform.Api;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A host agent as the platform sees one, over real HTTP: it joins with a join token, long-polls
 * its assignments and heartbeats the statuses a real agent would report for them. It runs no
 * containers. How a container behaves is read from its spec's environment, {@code SIM}:
 * <ul>
 *   <li>unset: reported {@code running}, {@code starting} on its first heartbeat when it has a
 *       health check, then {@code healthy};</li>
 *   <li>{@code never-healthy}: running, {@code starting} for ever (a failing health gate);</li>
 *   <li>{@code exit}: exited with code 1;</li>
 *   <li>{@code crash-loop}: restarted by the agent again and again, never healthy: every other
 *       heartbeat {@code exited} with code 3, the others running (health {@code starting}) with
 *       its restarts one more;</li>
 *   <li>{@code cannot-start}: {@code failed}, with {@link #CANNOT_START} as the error (as the agent
 *       reports a container it cannot start, such as for a port in use).</li>
 * </ul>
 * Containers whose {@code VERSION} is {@linkplain #holdStarting held} stay {@code starting} until
 * released. A published port serves while its container is healthy and its assignment lets it serve.
 * The real agent is exercised by the end-to-end test; this one checks the platform's side.
 */
final class SimulatedAgent implements AutoCloseable {
    static final long MEMORY = 64L << 30;
    static final int CPU = 64_000;
    private static final AtomicInteger PORTS = new AtomicInteger(20_000);
    static final String CANNOT_START = "simulated: cannot listen on 127.0.0.1:20001: Address already in use";

    final String hostId;
    final String hostname;
    private final Api agent;
    private final Map<String, Running> containers = new ConcurrentHashMap<>();
    private final List<Assignment> received = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, Integer> hostPorts = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private final AtomicInteger beats = new AtomicInteger();
    private volatile long generation = -1;
    private volatile String failure;
    /** What its heartbeats claim, which may differ from what it registered with. */
    private volatile HostCapacity claimed = new HostCapacity(MEMORY, CPU);
    /** What its heartbeats report as its peer address; null for none. */
    private volatile String peerAddress;
    private final java.util.Set<String> held = ConcurrentHashMap.newKeySet();
    /** What its firewall refused each running container of an app, by agent-side app name. */
    private final Map<String, List<RefusedDestination>> refused = new ConcurrentHashMap<>();
    /** The resource sample each running container of an app reports, by agent-side app name. */
    private final Map<String, dev.berth.agent.protocol.ContainerMetrics> samples = new ConcurrentHashMap<>();

    private static final class Running {
        /** The latest assignment of it; a change of its traffic flag alone restarts nothing. */
        AssignedContainer assigned;
        int heartbeats;

        Running(AssignedContainer assigned) {
            this.assigned = assigned;
        }
    }

    private SimulatedAgent(String hostId, String hostname, Api agent) {
        this.hostId = hostId;
        this.hostname = hostname;
        this.agent = agent;
    }

    /** Registers with a fresh join token and starts polling and heartbeating. */
    static SimulatedAgent join(Api admin, String hostname) {
        return join(admin, hostname, MEMORY, CPU);
    }

    /** A host registered through the agent protocol: its id and an API client holding its credential. */
    record Registration(String hostId, Api api) {
    }

    /** Registers a host with a fresh join token, as an agent of {@code agentVersion} reporting this capacity. */
    static Registration register(Api admin, String hostname, long memory, int cpu, String agentVersion) {
        var token = admin.post("/api/v1/hosts/join-tokens", Map.of());
        if (token.status() != 201) throw new AssertionError("join token: " + token);
        var body = new LinkedHashMap<String, Object>();
        body.put("version", 1);
        body.put("joinToken", token.json().get("token").asString());
        body.put("hostname", hostname);
        body.put("capacity", Map.of("memoryBytes", memory, "cpuMillis", cpu));
        body.put("agentVersion", agentVersion);
        var registered = admin.anonymous().post("/agent/v1/register", body);
        if (registered.status() != 201) throw new AssertionError("register: " + registered);
        return new Registration(registered.json().get("hostId").asString(), admin.bearer(registered.json().get("credential").asString()));
    }

    /** Registers with {@code memory} and {@code cpu} as its capacity, and reports that until told to {@link #claim} more. */
    static SimulatedAgent join(Api admin, String hostname, long memory, int cpu) {
        var registration = register(admin, hostname, memory, cpu, "simulated");
        var sim = new SimulatedAgent(registration.hostId(), hostname, registration.api());
        sim.claimed = new HostCapacity(memory, cpu);
        sim.threads.add(Thread.ofVirtual().name("sim-poll-" + hostname).start(sim::poll));
        sim.threads.add(Thread.ofVirtual().name("sim-beat-" + hostname).start(sim::beat));
        return sim;
    }

    /** The agent's HTTP client, with its credential. */
    Api api() {
        return agent;
    }

    /** Every assignment the platform answered, oldest first. */
    List<Assignment> received() {
        return List.copyOf(received);
    }

    /** The containers it runs now, by name. */
    Map<String, AssignedContainer> containers() {
        var out = new LinkedHashMap<String, AssignedContainer>();
        containers.forEach((name, r) -> out.put(name, r.assigned));
        return out;
    }

    /** What its last accepted heartbeat reported. */
    private volatile List<ContainerStatus> reported = List.of();

    List<ContainerStatus> reported() {
        return reported;
    }

    /** The address its published ports report; nobody connects to it. */
    private volatile String publishAddress = "127.0.0.1";

    /** Reports its published ports at {@code address} from the next heartbeat on, as a host publishing on its network address. */
    void publishAt(String address) {
        publishAddress = address;
    }

    /** What its heartbeats report as its edge address; null when it is no edge. */
    private volatile String edgeAddress;

    /** Reports itself an edge at {@code address} from the next heartbeat on (null: no edge any more), serving what it received. */
    void edge(String address) {
        edgeAddress = address;
    }

    /** Reports {@code address} as its peer address from the next heartbeat on. */
    void peerAddress(String address) {
        peerAddress = address;
    }

    long generation() {
        return generation;
    }

    /** Containers with this {@code VERSION} report {@code starting} until {@link #release}d. */
    void holdStarting(String version) {
        held.add(version);
    }

    void release(String version) {
        held.remove(version);
    }

    /** How many heartbeats it sent. */
    int heartbeats() {
        return beats.get();
    }

    /** From now on each running container of {@code app} (agent-side name) reports {@code destinations} as refused. */
    void refuse(String app, List<RefusedDestination> destinations) {
        refused.put(app, List.copyOf(destinations));
    }

    /** From now on each running container of {@code app} (agent-side name) reports {@code sample}. */
    void sample(String app, dev.berth.agent.protocol.ContainerMetrics sample) {
        samples.put(app, sample);
    }

    /** From now on its heartbeats claim this capacity, as a buggy or compromised agent might. */
    void claim(long memory, int cpu) {
        claimed = new HostCapacity(memory, cpu);
    }

    /** Why a poll or heartbeat was refused, if one was. */
    String failure() {
        return failure;
    }

    private void poll() {
        while (running) {
            var r = agent.get("/agent/v1/assignments?after=" + generation + "&wait=2");
            if (!running) return;
            if (r.status() == 200) {
                var a = Api.JSON.readValue(r.body(), Assignment.class);
                apply(a);
            } else if (r.status() != 204) {
                failure = "assignments: " + r;
                pause();
            }
        }
    }

    /** Level-triggered, like the real agent: the assignment is the whole set. */
    private synchronized void apply(Assignment a) {
        if (!a.hostId().equals(hostId)) failure = "an assignment for " + a.hostId() + " reached " + hostId;
        var names = new java.util.HashSet<String>();
        for (var c : a.containers()) {
            names.add(c.spec().name());
            var now = containers.get(c.spec().name());
            if (now == null || !now.assigned.spec().equals(c.spec()) || !now.assigned.secrets().equals(c.secrets())) {
                containers.put(c.spec().name(), new Running(c));
            } else {
                now.assigned = c;
            }
        }
        containers.keySet().retainAll(names);
        received.add(a);
        generation = a.generation();
    }

    private void beat() {
        while (running) {
            String edge = edgeAddress;
            var statuses = statuses();
            var r = agent.post("/agent/v1/heartbeat", new Heartbeat(Heartbeat.VERSION, claimed, statuses, peerAddress,
                    edge == null ? null : new dev.berth.agent.protocol.EdgeStatus(edge, Math.max(generation, 0), null)));
            if (r.status() != 204) failure = "heartbeat: " + r;
            else reported = statuses;
            beats.incrementAndGet();
            pause();
        }
    }

    private synchronized List<ContainerStatus> statuses() {
        var out = new ArrayList<ContainerStatus>();
        for (var r : containers.values()) {
            var spec = r.assigned.spec();
            String behaviour = spec.env().getOrDefault("SIM", "");
            r.heartbeats++;
            if (behaviour.equals("exit")) {
                out.add(new ContainerStatus(spec.name(), spec.app(), "exited", 1, false, null, 0, List.of(), List.of()));
                continue;
            }
            if (behaviour.equals("crash-loop")) {
                int restarts = r.heartbeats / 2;
                out.add(r.heartbeats % 2 == 1
                        ? new ContainerStatus(spec.name(), spec.app(), "exited", 3, false, null, restarts, List.of(), List.of())
                        : new ContainerStatus(spec.name(), spec.app(), "running", null, false, "starting", restarts, List.of(),
                        List.of()));
                continue;
            }
            if (behaviour.equals("cannot-start")) {
                out.add(new ContainerStatus(spec.name(), spec.app(), "failed", null, false, null, 0, List.of(), List.of(),
                        CANNOT_START));
                continue;
            }
            boolean holding = held.contains(spec.env().getOrDefault("VERSION", ""));
            String health = spec.health() == null ? null
                    : behaviour.equals("never-healthy") || holding || r.heartbeats == 1 ? "starting" : "healthy";
            boolean serving = (health == null || health.equals("healthy")) && r.assigned.serving();
            var published = spec.ports().stream().map(p -> new PublishedPort(p.containerPort(),
                    publishAddress + ":" + hostPorts.computeIfAbsent(spec.app() + ":" + p.containerPort(), k -> PORTS.incrementAndGet()),
                    serving)).toList();
            out.add(new ContainerStatus(spec.name(), spec.app(), "running", null, false, health, 0, published,
                    List.of(new IsolationCheck("no_new_privs", true, "1", "1"),
                            new IsolationCheck("read_only_root", true, "ro", "ro")))
                    .withRefused(refused.getOrDefault(spec.app(), List.of()), 0)
                    .withMetrics(samples.get(spec.app())));
        }
        return out;
    }

    private void pause() {
        try {
            Thread.sleep(150);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Starts polling and heartbeating again after {@link #close()}, as a restarted agent would. */
    void resume() {
        running = true;
        threads.clear();
        threads.add(Thread.ofVirtual().name("sim-poll-" + hostname).start(this::poll));
        threads.add(Thread.ofVirtual().name("sim-beat-" + hostname).start(this::beat));
    }

    /** Stops polling and heartbeating, as a killed agent would. */
    @Override
    public void close() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
