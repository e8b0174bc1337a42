package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.deployer.Replica;
import dev.berth.deployer.Replica.State;
import dev.berth.deployer.Resources;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A host's heartbeat against its assigned replica rows: which observed states move, and when. */
class ObservedReplicasTest {
    private static final Instant CREATED = Instant.parse("2025-06-01T12:00:00Z");
    private static final Instant EARLIER = CREATED.plusSeconds(5);
    private static final Instant AT = CREATED.plusSeconds(30);

    private static ReplicaRow row(State state, Instant since, Instant firstReported) {
        return row(state, since, firstReported, null);
    }

    private static ReplicaRow row(State state, Instant since, Instant firstReported, String startError) {
        return new ReplicaRow("acme.web.3.0", "acme.web.3.0", 1, "acme", "web", 3, 7, "h-000000000001", CREATED, null, null,
                state, since, firstReported, true, startError, startError == null ? null : EARLIER);
    }

    private static ContainerStatus failed(String error) {
        return new ContainerStatus("acme.web.3.0", "acme.web", "failed", null, false, null, 0, List.of(), List.of(), error);
    }

    private static ContainerStatus running(String health) {
        return new ContainerStatus("acme.web.3.0", "acme.web", "running", null, false, health);
    }

    static Stream<Arguments> heartbeats() {
        return Stream.of(
                Arguments.of("assigned, not in the report yet: starting since created, nothing moves",
                        row(State.STARTING, CREATED, null), List.of(), List.of()),
                Arguments.of("first reported, still starting: only noted as reported",
                        row(State.STARTING, CREATED, null), List.of(running("starting")),
                        List.of(new ObservedReplicas.Change("acme.web.3.0", State.STARTING, CREATED, true, null))),
                Arguments.of("first reported healthy: healthy from now",
                        row(State.STARTING, CREATED, null), List.of(running("healthy")),
                        List.of(new ObservedReplicas.Change("acme.web.3.0", State.HEALTHY, AT, true, null))),
                Arguments.of("still healthy: nothing moves, since stays",
                        row(State.HEALTHY, EARLIER, EARLIER), List.of(running("healthy")), List.of()),
                Arguments.of("healthy to unhealthy",
                        row(State.HEALTHY, EARLIER, EARLIER), List.of(running("unhealthy")),
                        List.of(new ObservedReplicas.Change("acme.web.3.0", State.UNHEALTHY, AT, false, null))),
                Arguments.of("reported before, gone from the report: exited",
                        row(State.HEALTHY, EARLIER, EARLIER), List.of(),
                        List.of(new ObservedReplicas.Change("acme.web.3.0", State.EXITED, AT, false, null))),
                Arguments.of("another container of the host does not count",
                        row(State.HEALTHY, EARLIER, EARLIER),
                        List.of(running("healthy"), new ContainerStatus("acme.api.2.0", "acme.api", "exited", 1, false, null)),
                        List.of()),
                Arguments.of("exited with a code",
                        row(State.HEALTHY, EARLIER, EARLIER),
                        List.of(new ContainerStatus("acme.web.3.0", "acme.web", "exited", 137, true, null)),
                        List.of(new ObservedReplicas.Change("acme.web.3.0", State.EXITED, AT, false, null))),
                Arguments.of("first reported as a failed start: still starting since it was created (the agent retries), why is kept",
                        row(State.STARTING, CREATED, null), List.of(failed("pulling acme/web: manifest unknown")),
                        List.of(new ObservedReplicas.Change("acme.web.3.0", State.STARTING, CREATED, true,
                                "pulling acme/web: manifest unknown"))),
                Arguments.of("still failing for the same reason: nothing moves",
                        row(State.STARTING, CREATED, EARLIER, "pulling acme/web: manifest unknown"),
                        List.of(failed("pulling acme/web: manifest unknown")), List.of()),
                Arguments.of("failing for another reason: only the reason moves",
                        row(State.STARTING, CREATED, EARLIER, "pulling acme/web: manifest unknown"),
                        List.of(failed("cannot listen on 0.0.0.0:20001: Address already in use")),
                        List.of(new ObservedReplicas.Change("acme.web.3.0", State.STARTING, CREATED, false,
                                "cannot listen on 0.0.0.0:20001: Address already in use"))),
                Arguments.of("a failed restart after serving: exited, replaced, and why is kept",
                        row(State.HEALTHY, EARLIER, EARLIER), List.of(failed("cannot listen on 0.0.0.0:20001: Address already in use")),
                        List.of(new ObservedReplicas.Change("acme.web.3.0", State.EXITED, AT, false,
                                "cannot listen on 0.0.0.0:20001: Address already in use"))),
                Arguments.of("a failed start without a reason (an older agent): still starting, nothing kept",
                        row(State.STARTING, CREATED, EARLIER), List.of(failed(null)), List.of()),
                Arguments.of("an error on a container that is not failed is not a start error",
                        row(State.HEALTHY, EARLIER, EARLIER),
                        List.of(new ContainerStatus("acme.web.3.0", "acme.web", "running", null, false, null, 0, List.of(),
                                List.of(), "stray")),
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heartbeats")
    void aHeartbeatMovesOnlyWhatChanged(String name, ReplicaRow row, List<ContainerStatus> reported,
                                        List<ObservedReplicas.Change> expected) {
        assertThat(ObservedReplicas.changes(List.of(row), reported, AT)).isEqualTo(expected);
    }

    @Test
    void rowsBecomeWhatThePlannerObserves() {
        var rows = List.of(row(State.HEALTHY, EARLIER, EARLIER), row(State.STARTING, CREATED, null));
        assertThat(ObservedReplicas.planned(rows, r -> new Resources(64L << 20, 250))).containsExactly(
                new Replica("acme.web.3.0", "acme/web", 3, "h-000000000001", State.HEALTHY, EARLIER, new Resources(64L << 20, 250)),
                new Replica("acme.web.3.0", "acme/web", 3, "h-000000000001", State.STARTING, CREATED, new Resources(64L << 20, 250)));
    }
}
