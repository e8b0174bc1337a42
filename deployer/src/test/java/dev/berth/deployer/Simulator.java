package dev.berth.deployer;

import dev.berth.deployer.Replica.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Plays plan, apply, plan... : starts become STARTING replicas, stops remove them, and after each
 * round every STARTING replica turns HEALTHY (unless {@code healthy} is off). Each observed state
 * and each plan are recorded.
 */
final class Simulator {
    final List<Desired> desired;
    final List<Host> hosts;
    final Map<String, Replica> replicas = new TreeMap<>();
    final List<List<Replica>> states = new ArrayList<>();
    final List<Plan> plans = new ArrayList<>();
    Instant now = Fixtures.T0;
    boolean healthy = true;

    Simulator(List<Desired> desired, List<Host> hosts, List<Replica> observed) {
        this.desired = desired;
        this.hosts = hosts;
        observed.forEach(r -> replicas.put(r.id(), r));
        states.add(observed());
    }

    List<Replica> observed() {
        return List.copyOf(replicas.values());
    }

    Plan plan() {
        return Planner.plan(desired, observed(), hosts.stream().map(h -> new Host(h.id(), h.memoryBytes(), h.cpuMillis(),
                h.lastHeartbeat().isBefore(Fixtures.T0.minusSeconds(60)) ? h.lastHeartbeat() : now)).toList(),
                now, Fixtures.HEARTBEAT);
    }

    /** Runs rounds until a plan is empty; fails after {@code maxRounds}. Returns the number of non-empty plans. */
    int converge(int maxRounds, Consumer<List<Replica>> invariant) {
        for (int round = 0; round < maxRounds; round++) {
            Plan plan = plan();
            if (plan.converged()) {
                return round;
            }
            plans.add(plan);
            apply(plan);
            invariant.accept(observed());
            tick();
            states.add(observed());
        }
        throw new AssertionError("no convergence after " + maxRounds + " rounds; last plans: "
                + plans.subList(Math.max(0, plans.size() - 3), plans.size()));
    }

    void apply(Plan plan) {
        for (Step step : plan.steps()) {
            switch (step) {
                case Step.Start s -> {
                    Desired d = desired.stream().filter(x -> x.name().equals(s.app())).findFirst().orElseThrow();
                    replicas.put(s.replicaId(), new Replica(s.replicaId(), s.app(), s.revision(), s.hostId(),
                            State.STARTING, now, d.resources()));
                }
                case Step.Stop s -> replicas.remove(s.replicaId());
                default -> {
                }
            }
        }
    }

    void tick() {
        now = now.plus(Duration.ofSeconds(10));
        if (healthy) {
            replicas.replaceAll((id, r) -> r.state() == State.STARTING
                    ? new Replica(r.id(), r.app(), r.revision(), r.hostId(), State.HEALTHY, now, r.reserved()) : r);
        }
    }
}
