package dev.berth.deployer;

import static dev.berth.deployer.Fixtures.dead;
import static dev.berth.deployer.Fixtures.healthyWeb;
import static dev.berth.deployer.Fixtures.host;
import static dev.berth.deployer.Fixtures.hosts;
import static dev.berth.deployer.Fixtures.rolling;
import static dev.berth.deployer.Fixtures.web;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.deployer.Replica.State;
import dev.berth.deployer.Step.Failed;
import dev.berth.deployer.Step.Start;
import dev.berth.deployer.Step.Stop;
import dev.berth.deployer.Step.SwitchTraffic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Plan, apply, plan... until the plan is empty, checking the strategy's limits on every state in between. */
class RolloutSimulationTest {
    record Rollout(String name, int replicas, Strategy strategy, List<Host> hosts) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Rollout> rollouts() {
        List<Host> roomy = hosts("h1", "h2", "h3");
        List<Host> tight = List.of(host("h1", 256, 2000), host("h2", 256, 2000), host("h3", 256, 2000));
        return Stream.of(
                new Rollout("rolling 3 replicas, surge 1, unavailable 0", 3, rolling(1, 0), roomy),
                new Rollout("rolling 3 replicas, surge 0, unavailable 1", 3, rolling(0, 1), roomy),
                new Rollout("rolling 3 replicas, surge 2, unavailable 1", 3, rolling(2, 1), roomy),
                new Rollout("rolling 5 replicas, surge 1, unavailable 1", 5, rolling(1, 1), roomy),
                new Rollout("rolling 4 replicas, everything at once", 4, rolling(0, 4), roomy),
                new Rollout("rolling 1 replica, surge 1", 1, rolling(1, 0), roomy),
                new Rollout("rolling on tight hosts (2 replicas each), surge 1", 5, rolling(1, 0), tight),
                new Rollout("rolling on tight hosts, surge 0, unavailable 1", 6, rolling(0, 1), tight),
                new Rollout("recreate 3 replicas", 3, new Strategy.Recreate(), roomy),
                new Rollout("blue-green 3 replicas", 3, new Strategy.BlueGreen(), roomy));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rollouts")
    void rollsRevision1To2WithinTheStrategysLimits(Rollout r) {
        var sim = new Simulator(List.of(web(2, r.replicas(), r.strategy())), r.hosts(),
                healthyWeb(1, r.replicas(), "h1", "h2", "h3"));

        int rounds = sim.converge(30, state -> {
            withinCapacity(r.hosts()).accept(state);
            limits(r).accept(state);
        });

        assertThat(sim.observed()).hasSize(r.replicas())
                .allSatisfy(x -> assertThat(x).extracting(Replica::revision, Replica::state).containsExactly(2L, State.HEALTHY));
        assertThat(rounds).isLessThan(20);
        assertThat(sim.plans).flatMap(Plan::steps).noneMatch(s -> s instanceof Failed || s instanceof Step.Unplaceable);
        if (r.strategy() instanceof Strategy.BlueGreen) {
            blueGreenSwitchesOnceBeforeStoppingOld(sim);
        }
        if (r.strategy() instanceof Strategy.Recreate) {
            assertThat(sim.states).anySatisfy(state -> assertThat(state).isEmpty());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rollouts")
    void deploysFromNothingAndSpreads(Rollout r) {
        var sim = new Simulator(List.of(web(1, r.replicas(), r.strategy())), r.hosts(), List.of());

        sim.converge(10, withinCapacity(r.hosts()));

        Map<String, Long> perHost = sim.observed().stream().collect(Collectors.groupingBy(Replica::hostId, Collectors.counting()));
        assertThat(sim.observed()).hasSize(r.replicas()).allMatch(x -> x.state() == State.HEALTHY);
        assertThat(perHost.values().stream().mapToLong(Long::longValue).max().orElse(0)
                - perHost.values().stream().mapToLong(Long::longValue).min().orElse(0)).isLessThanOrEqualTo(1);
        assertThat(sim.plan().converged()).isTrue();
    }

    @ParameterizedTest(name = "{0} replicas")
    @org.junit.jupiter.params.provider.ValueSource(ints = {2, 3, 4, 6})
    void aRollingUpdateWithoutUnavailabilityKeepsEveryHostServing(int replicas) {
        String[] ids = replicas % 2 == 0 ? new String[] {"h1", "h2"} : new String[] {"h1", "h2", "h3"};
        var sim = new Simulator(List.of(web(2, replicas, rolling(1, 0))), hosts(ids), healthyWeb(1, replicas, ids));

        sim.converge(40, state -> {
            for (String h : ids) {
                assertThat(state).as("healthy replicas on " + h)
                        .anyMatch(x -> x.hostId().equals(h) && x.state() == State.HEALTHY);
            }
        });

        assertThat(sim.observed()).hasSize(replicas).allMatch(x -> x.revision() == 2 && x.state() == State.HEALTHY);
    }

    @Test
    void aLostHostsReplicasAreRehomedAndTheClusterConverges() {
        var d = web(1, 4, rolling(1, 0));
        var start = new Simulator(List.of(d), hosts("h1", "h2", "h3"), List.of());
        start.converge(10, s -> { });
        var observed = start.observed();
        long onH1 = observed.stream().filter(x -> x.hostId().equals("h1")).count();

        var sim = new Simulator(List.of(d), List.of(dead("h1"), host("h2", 1024, 2000), host("h3", 1024, 2000)), observed);
        sim.converge(10, s -> { });

        assertThat(onH1).isPositive();
        assertThat(sim.plans.getFirst().steps(Stop.class)).hasSize((int) onH1)
                .allMatch(s -> s.reason().equals("host h1 stopped sending heartbeats"));
        assertThat(sim.observed()).hasSize(4).noneMatch(x -> x.hostId().equals("h1"))
                .allMatch(x -> x.state() == State.HEALTHY);
    }

    @Test
    void aRolloutWhoseReplicasNeverGetHealthyFailsAndStaysFailed() {
        var sim = new Simulator(List.of(web(2, 3, rolling(1, 0))), hosts("h1", "h2", "h3"), healthyWeb(1, 3, "h1", "h2", "h3"));
        sim.healthy = false;
        List<Plan> plans = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Plan plan = sim.plan();
            plans.add(plan);
            sim.apply(plan);
            sim.tick();
        }

        assertThat(plans).flatMap(Plan::steps).filteredOn(Stop.class::isInstance).isEmpty();
        assertThat(plans).flatMap(Plan::steps).filteredOn(Start.class::isInstance).hasSize(1);
        assertThat(plans.getLast().steps()).singleElement().isInstanceOf(Failed.class);
        assertThat(sim.observed()).filteredOn(x -> x.revision() == 1).hasSize(3).allMatch(x -> x.state() == State.HEALTHY);
    }

    @Test
    void rollingBackIsJustAnotherRollout() {
        var sim = new Simulator(List.of(web(1, 3, rolling(1, 0))), hosts("h1", "h2", "h3"),
                Fixtures.concat(healthyWeb(1, 2, "h1", "h2"), List.of(web(2, 0, "h3", State.STARTING))));

        // it starts degraded (2 healthy of 3): the healthy count never drops further, the surge is kept
        sim.converge(20, state -> {
            assertThat(state).hasSizeLessThanOrEqualTo(4);
            assertThat(state).filteredOn(x -> x.state() == State.HEALTHY).hasSizeGreaterThanOrEqualTo(2);
        });

        assertThat(sim.observed()).hasSize(3).allMatch(x -> x.revision() == 1 && x.state() == State.HEALTHY);
    }

    private static void blueGreenSwitchesOnceBeforeStoppingOld(Simulator sim) {
        List<Step> all = sim.plans.stream().flatMap(p -> p.steps().stream()).toList();
        assertThat(all).filteredOn(SwitchTraffic.class::isInstance).containsExactly(new SwitchTraffic("acme/web", 2));
        int switchAt = all.indexOf(new SwitchTraffic("acme/web", 2));
        assertThat(all.subList(0, switchAt)).noneMatch(Stop.class::isInstance);
    }

    /** Rolling: at most replicas + surge running, at least replicas - unavailable healthy; blue-green: the old stay until switched. */
    private static Consumer<List<Replica>> limits(Rollout r) {
        return state -> {
            long healthy = state.stream().filter(x -> x.state() == State.HEALTHY).count();
            switch (r.strategy()) {
                case Strategy.Rolling s -> {
                    assertThat(state).as("running").hasSizeLessThanOrEqualTo(r.replicas() + s.maxSurge());
                    assertThat(healthy).as("healthy").isGreaterThanOrEqualTo(r.replicas() - s.maxUnavailable());
                }
                case Strategy.BlueGreen _ -> assertThat(healthy).as("healthy").isGreaterThanOrEqualTo(r.replicas());
                case Strategy.Recreate _ -> assertThat(state.stream().map(Replica::revision).distinct()).hasSizeLessThanOrEqualTo(1);
            }
        };
    }

    private static Consumer<List<Replica>> withinCapacity(List<Host> hosts) {
        return state -> {
            for (Host h : hosts) {
                var on = state.stream().filter(x -> x.hostId().equals(h.id())).toList();
                assertThat(on.stream().mapToLong(x -> x.reserved().memoryBytes()).sum()).as("memory on " + h.id())
                        .isLessThanOrEqualTo(h.memoryBytes());
                assertThat(on.stream().mapToLong(x -> x.reserved().cpuMillis()).sum()).as("cpu on " + h.id())
                        .isLessThanOrEqualTo(h.cpuMillis());
            }
        };
    }
}
