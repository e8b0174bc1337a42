package dev.berth.deployer;

import static dev.berth.deployer.Fixtures.HEARTBEAT;
import static dev.berth.deployer.Fixtures.T0;
import static dev.berth.deployer.Fixtures.concat;
import static dev.berth.deployer.Fixtures.dead;
import static dev.berth.deployer.Fixtures.desired;
import static dev.berth.deployer.Fixtures.draining;
import static dev.berth.deployer.Fixtures.healthyWeb;
import static dev.berth.deployer.Fixtures.host;
import static dev.berth.deployer.Fixtures.hosts;
import static dev.berth.deployer.Fixtures.replica;
import static dev.berth.deployer.Fixtures.rolling;
import static dev.berth.deployer.Fixtures.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.deployer.Replica.State;
import dev.berth.deployer.Step.Failed;
import dev.berth.deployer.Step.Start;
import dev.berth.deployer.Step.Stop;
import dev.berth.deployer.Step.SwitchTraffic;
import dev.berth.deployer.Step.Unplaceable;
import dev.berth.deployer.Step.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One planning round per case: inputs and the exact steps expected. */
class PlannerTest {
    static final String WEB = "acme/web";
    static final String NEEDS = "needs 128Mi memory and 500m cpu; ";

    record Case(String name, List<Desired> desired, List<Replica> observed, List<Host> hosts, List<Step> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case when(String name, List<Desired> desired, List<Replica> observed, List<Host> hosts, Step... expected) {
        return new Case(name, desired, observed, hosts, List.of(expected));
    }

    static Stream<Case> rounds() {
        Duration threeMinutes = Duration.ofMinutes(3);
        return Stream.of(
                // placement
                when("spreads replicas across hosts", List.of(web(1, 3, rolling(1, 0))), List.of(), hosts("h1", "h2", "h3"),
                        new Start(WEB, 1, "h1", "acme.web.1.0"),
                        new Start(WEB, 1, "h2", "acme.web.1.1"),
                        new Start(WEB, 1, "h3", "acme.web.1.2")),
                when("fewest replicas of the app first, then the least loaded host",
                        List.of(web(1, 3, rolling(1, 0)), desired("api", 1, 1, rolling(1, 0))),
                        List.of(web(1, 0, "h1", State.HEALTHY), replica("api", 1, 0, "h2", State.HEALTHY, Duration.ofHours(1))),
                        hosts("h1", "h2", "h3"),
                        new Start(WEB, 1, "h3", "acme.web.1.1"),
                        new Start(WEB, 1, "h2", "acme.web.1.2")),
                when("no host over capacity; the rest is unplaceable naming the short memory",
                        List.of(web(1, 3, rolling(1, 0))), List.of(), List.of(host("h1", 192, 2000), host("h2", 128, 2000)),
                        new Start(WEB, 1, "h1", "acme.web.1.0"),
                        new Start(WEB, 1, "h2", "acme.web.1.1"),
                        new Unplaceable(WEB, 1, NEEDS + "the most free host h1 has 64Mi memory")),
                when("replicas of other apps take capacity too",
                        List.of(web(1, 1, rolling(1, 0)), desired("api", 1, 1, rolling(1, 0))),
                        List.of(replica("api", 1, 0, "h1", State.HEALTHY, Duration.ofHours(1))),
                        List.of(host("h1", 200, 2000)),
                        new Unplaceable(WEB, 1, NEEDS + "the most free host h1 has 72Mi memory")),
                when("unplaceable names the short cpu", List.of(web(1, 1, rolling(1, 0))), List.of(),
                        List.of(host("h1", 1024, 400)),
                        new Unplaceable(WEB, 1, NEEDS + "the most free host h1 has 400m cpu")),
                when("unplaceable names both, on the host closest to fitting, with the count",
                        List.of(web(1, 2, rolling(1, 0))), List.of(),
                        List.of(host("h1", 64, 100), host("h2", 32, 2000), host("h3", 96, 250)),
                        new Unplaceable(WEB, 1, NEEDS + "the most free host h3 has 96Mi memory and 250m cpu (2 replicas)")),
                when("dead hosts offer no capacity", List.of(web(1, 1, rolling(1, 0))), List.of(), List.of(dead("h1")),
                        new Unplaceable(WEB, 1, NEEDS + "no host is alive: none sent a heartbeat in the last 30s")),
                when("no hosts at all", List.of(web(1, 1, rolling(1, 0))), List.of(), List.of(),
                        new Unplaceable(WEB, 1, NEEDS + "no hosts are registered")),
                // healing
                when("a lost host's replicas are stopped and placed elsewhere", List.of(web(1, 2, rolling(1, 0))),
                        healthyWeb(1, 2, "h1", "h2"), List.of(dead("h1"), host("h2", 1024, 2000), host("h3", 1024, 2000)),
                        new Stop("acme.web.1.0", "host h1 stopped sending heartbeats"),
                        new Start(WEB, 1, "h3", "acme.web.1.2")),
                when("a heartbeat exactly heartbeatTimeout old is alive", List.of(web(1, 1, rolling(1, 0))),
                        healthyWeb(1, 1, "h1"), List.of(new Host("h1", 1024 * Fixtures.MI, 2000, T0.minus(HEARTBEAT))) ),
                when("a replica on an unregistered host is replaced", List.of(web(1, 1, rolling(1, 0))),
                        healthyWeb(1, 1, "h9"), hosts("h1"),
                        new Stop("acme.web.1.0", "host h9 is not registered"),
                        new Start(WEB, 1, "h1", "acme.web.1.1")),
                when("a crashed replica is removed and replaced", List.of(web(1, 2, rolling(1, 0))),
                        List.of(web(1, 0, "h1", State.HEALTHY), web(1, 1, "h2", State.EXITED, Duration.ofMinutes(1))),
                        hosts("h1", "h2"),
                        new Stop("acme.web.1.1", "exited 1m ago"),
                        new Start(WEB, 1, "h2", "acme.web.1.2")),
                when("unhealthy longer than the health timeout is replaced", List.of(web(1, 2, rolling(1, 0))),
                        List.of(web(1, 0, "h1", State.HEALTHY), web(1, 1, "h2", State.UNHEALTHY, threeMinutes)),
                        hosts("h1", "h2", "h3"),
                        new Stop("acme.web.1.1", "unhealthy for 3m, longer than the 2m health timeout"),
                        new Start(WEB, 1, "h3", "acme.web.1.2")),
                when("unhealthy within the health timeout is left alone", List.of(web(1, 2, rolling(1, 0))),
                        List.of(web(1, 0, "h1", State.HEALTHY), web(1, 1, "h2", State.UNHEALTHY, Duration.ofMinutes(1))),
                        hosts("h1", "h2")),
                when("replicas of apps not desired are stopped", List.of(web(1, 1, rolling(1, 0))),
                        List.of(web(1, 0, "h1", State.HEALTHY), replica("old", 3, 0, "h1", State.HEALTHY, Duration.ZERO),
                                replica("gone", 1, 0, "h2", State.HEALTHY, Duration.ZERO)),
                        List.of(host("h1", 1024, 2000), dead("h2")),
                        new Stop("acme.gone.1.0", "host h2 stopped sending heartbeats"),
                        new Stop("acme.old.3.0", "unexpected: app acme/old is not desired")),
                when("scaling down stops unready, then newest replicas", List.of(web(1, 1, rolling(1, 0))),
                        List.of(web(1, 0, "h1", State.HEALTHY), web(1, 1, "h2", State.HEALTHY),
                                web(1, 2, "h3", State.STARTING, Duration.ofSeconds(5))),
                        hosts("h1", "h2", "h3"),
                        new Stop("acme.web.1.2", "scaled down to 1 replica"),
                        new Stop("acme.web.1.1", "scaled down to 1 replica")),
                when("a starting replica is waited for", List.of(web(1, 1, rolling(1, 0))),
                        List.of(web(1, 0, "h1", State.STARTING, Duration.ofSeconds(30))), hosts("h1"),
                        new Wait(WEB, "waiting for 1 replica of revision 1 to become healthy")),
                when("converged: nothing to do", List.of(web(1, 3, rolling(1, 0)), desired("api", 4, 1, new Strategy.BlueGreen())),
                        concat(healthyWeb(1, 3, "h1", "h2"), List.of(replica("api", 4, 0, "h2", State.HEALTHY, Duration.ZERO))),
                        hosts("h1", "h2")),
                // rollouts, first round
                when("rolling maxSurge 1: one new replica first, nothing stopped", List.of(web(2, 3, rolling(1, 0))),
                        healthyWeb(1, 3, "h1", "h2", "h3"), hosts("h1", "h2", "h3"),
                        new Start(WEB, 2, "h1", "acme.web.2.0")),
                when("rolling maxUnavailable 1, no surge: one old replica stops first", List.of(web(2, 3, rolling(0, 1))),
                        healthyWeb(1, 3, "h1", "h2", "h3"), hosts("h1", "h2", "h3"),
                        new Stop("acme.web.1.0", "replaced by revision 2")),
                when("rolling stops an old replica once a new one is healthy", List.of(web(2, 3, rolling(1, 0))),
                        concat(healthyWeb(1, 3, "h1", "h2", "h3"), List.of(web(2, 0, "h1", State.HEALTHY))),
                        hosts("h1", "h2", "h3"),
                        new Stop("acme.web.1.0", "replaced by revision 2")),
                when("rolling stops the old replica on the host where the new one serves",
                        List.of(web(2, 3, rolling(1, 0))),
                        concat(healthyWeb(1, 3, "h1", "h2", "h3"), List.of(web(2, 0, "h3", State.HEALTHY))),
                        hosts("h1", "h2", "h3"),
                        new Stop("acme.web.1.2", "replaced by revision 2")),
                when("rolling health gate: starting too long fails, nothing else moves", List.of(web(2, 3, rolling(1, 1))),
                        concat(healthyWeb(1, 3, "h1", "h2", "h3"), List.of(web(2, 0, "h1", State.STARTING, threeMinutes))),
                        hosts("h1", "h2", "h3"),
                        new Failed(WEB, 2, "replica acme.web.2.0 has been starting for 3m, longer than the 2m health timeout")),
                when("recreate stops every old replica first", List.of(web(2, 2, new Strategy.Recreate())),
                        healthyWeb(1, 2, "h1", "h2"), hosts("h1", "h2"),
                        new Stop("acme.web.1.0", "recreate: replaced by revision 2"),
                        new Stop("acme.web.1.1", "recreate: replaced by revision 2")),
                when("blue-green starts every new replica beside the old ones", List.of(web(2, 2, new Strategy.BlueGreen())),
                        healthyWeb(1, 2, "h1", "h2"), hosts("h1", "h2"),
                        new Start(WEB, 2, "h1", "acme.web.2.0"),
                        new Start(WEB, 2, "h2", "acme.web.2.1"),
                        new Wait(WEB, "waiting for 2 of 2 replicas of revision 2 to become healthy before switching traffic")),
                when("blue-green switches traffic once all new are healthy, then stops the old",
                        List.of(web(2, 2, new Strategy.BlueGreen())),
                        concat(healthyWeb(1, 2, "h1", "h2"), healthyWeb(2, 2, "h1", "h2")), hosts("h1", "h2"),
                        new SwitchTraffic(WEB, 2),
                        new Stop("acme.web.1.0", "replaced by revision 2 after the traffic switch"),
                        new Stop("acme.web.1.1", "replaced by revision 2 after the traffic switch")),
                when("blue-green health gate: fails and stops the new replicas; the old keep serving",
                        List.of(web(2, 2, new Strategy.BlueGreen())),
                        concat(healthyWeb(1, 2, "h1", "h2"),
                                List.of(web(2, 0, "h1", State.HEALTHY), web(2, 1, "h2", State.STARTING, threeMinutes))),
                        hosts("h1", "h2"),
                        new Failed(WEB, 2, "replica acme.web.2.1 has been starting for 3m, longer than the 2m health timeout"),
                        new Stop("acme.web.2.0", "blue-green rollout to revision 2 failed; the old replicas keep serving"),
                        new Stop("acme.web.2.1", "blue-green rollout to revision 2 failed; the old replicas keep serving")),
                // draining
                when("a draining host takes no new replicas", List.of(web(1, 2, rolling(1, 0))), List.of(),
                        List.of(draining("h1"), host("h2", 1024, 2000)),
                        new Start(WEB, 1, "h2", "acme.web.1.0"),
                        new Start(WEB, 1, "h2", "acme.web.1.1")),
                when("a draining host's replica is replaced elsewhere first and keeps serving meanwhile",
                        List.of(web(1, 2, rolling(1, 0))), healthyWeb(1, 2, "h1", "h2"),
                        List.of(draining("h1"), host("h2", 1024, 2000), host("h3", 1024, 2000)),
                        new Start(WEB, 1, "h3", "acme.web.1.2")),
                when("a draining host's replica stops once its replacement is healthy",
                        List.of(web(1, 2, rolling(1, 0))), healthyWeb(1, 3, "h1", "h2", "h3"),
                        List.of(draining("h1"), host("h2", 1024, 2000), host("h3", 1024, 2000)),
                        new Stop("acme.web.1.0", "host h1 is draining; replaced on another host")),
                when("while its replacement starts, a draining host's replica keeps serving",
                        List.of(web(1, 2, rolling(1, 0))),
                        concat(healthyWeb(1, 2, "h1", "h2"), List.of(web(1, 2, "h3", State.STARTING, Duration.ofSeconds(5)))),
                        List.of(draining("h1"), host("h2", 1024, 2000), host("h3", 1024, 2000)),
                        new Wait(WEB, "waiting for 1 replica of revision 1 to become healthy")),
                when("a draining host's replica that does not serve stops at once",
                        List.of(web(1, 1, rolling(1, 0))), List.of(web(1, 0, "h1", State.STARTING, Duration.ofSeconds(5))),
                        List.of(draining("h1"), host("h2", 1024, 2000)),
                        new Start(WEB, 1, "h2", "acme.web.1.1"),
                        new Stop("acme.web.1.0", "host h1 is draining")),
                when("recreate moves a draining host's replica without downtime too",
                        List.of(web(1, 1, new Strategy.Recreate())), healthyWeb(1, 1, "h1"),
                        List.of(draining("h1"), host("h2", 1024, 2000)),
                        new Start(WEB, 1, "h2", "acme.web.1.1")),
                when("with nowhere else to go, a draining host's replicas keep serving",
                        List.of(web(1, 1, rolling(1, 0))), healthyWeb(1, 1, "h1"), List.of(draining("h1")),
                        new Unplaceable(WEB, 1, NEEDS + "no host takes new replicas: every live host is draining")),
                when("scaled down, a draining host's replicas go first",
                        List.of(web(1, 1, rolling(1, 0))), healthyWeb(1, 2, "h1", "h2"),
                        List.of(draining("h1"), host("h2", 1024, 2000)),
                        new Stop("acme.web.1.0", "host h1 is draining; replaced on another host")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rounds")
    void plansOneRound(Case c) {
        assertThat(Planner.plan(c.desired(), c.observed(), c.hosts(), T0, HEARTBEAT).steps())
                .containsExactlyElementsOf(c.expected());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rounds")
    void theSameInputsInAnyOrderGiveTheSamePlan(Case c) {
        Plan plan = Planner.plan(c.desired(), c.observed(), c.hosts(), T0, HEARTBEAT);
        Random random = new Random(42);
        for (int i = 0; i < 5; i++) {
            assertThat(Planner.plan(shuffled(c.desired(), random), shuffled(c.observed(), random),
                    shuffled(c.hosts(), random), T0, HEARTBEAT)).isEqualTo(plan);
        }
    }

    @Test
    void newIdsSkipEveryObservedId() {
        var observed = List.of(web(1, 0, "h1", State.EXITED), web(1, 2, "h1", State.HEALTHY));
        var plan = Planner.plan(List.of(web(1, 3, rolling(1, 0))), observed, hosts("h1"), T0, HEARTBEAT);

        assertThat(plan.steps(Start.class)).extracting(Start::replicaId).containsExactly("acme.web.1.1", "acme.web.1.3");
    }

    @Test
    void rejectsAmbiguousInputs() {
        var d = web(1, 1, rolling(1, 0));
        assertThatThrownBy(() -> Planner.plan(List.of(d, d), List.of(), List.of(), T0, HEARTBEAT))
                .hasMessage("app acme/web is desired twice");
        assertThatThrownBy(() -> Planner.plan(List.of(), List.of(), hosts("h1", "h1"), T0, HEARTBEAT))
                .hasMessage("host h1 is listed twice");
        var r = web(1, 0, "h1", State.HEALTHY);
        assertThatThrownBy(() -> Planner.plan(List.of(), List.of(r, r), List.of(), T0, HEARTBEAT))
                .hasMessage("replica acme.web.1.0 is observed twice");
        assertThatThrownBy(() -> rolling(0, 0)).hasMessage("maxSurge and maxUnavailable cannot both be 0");
    }

    private static <T> List<T> shuffled(List<T> list, Random random) {
        List<T> copy = new ArrayList<>(list);
        Collections.shuffle(copy, random);
        return copy;
    }
}
