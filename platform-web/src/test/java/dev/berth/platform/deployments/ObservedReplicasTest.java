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

    private static ReplicaStore.Row row(State state, Instant since, Instant firstReported) {
        return new ReplicaStore.Row("acme.web.3.0", "acme.web.3.0", 1, "acme", "web", 3, 7, "h-000000000001", CREATED, null, null,
                state, since, firstReported);
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
                        List.of(new ObservedReplicas.Change("acme.web.3.0", State.STARTING, CREATED, true))),
                Arguments.of("first reported healthy: healthy from now",
                        row(State.STARTING, CREATED, null), List.of(running("healthy")),
                        List.of(new ObservedReplicas.Change("acme.web.3.0", State.HEALTHY, AT, true))),
                Arguments.of("still healthy: nothing moves, since stays",
                        row(State.HEALTHY, EARLIER, EARLIER), List.of(running("healthy")), List.of()),
                Arguments.of("healthy to unhealthy",
                        row(State.HEALTHY, EARLIER, EARLIER), List.of(running("unhealthy")),
                        List.of(new ObservedReplicas.Change("acme.web.3.0", State.UNHEALTHY, AT, false))),
                Arguments.of("reported before, gone from the report: exited",
                        row(State.HEALTHY, EARLIER, EARLIER), List.of(),
                        List.of(new ObservedReplicas.Change("acme.web.3.0", State.EXITED, AT, false))),
                Arguments.of("another container of the host does not count",
                        row(State.HEALTHY, EARLIER, EARLIER),
                        List.of(running("healthy"), new ContainerStatus("acme.api.2.0", "acme.api", "exited", 1, false, null)),
                        List.of()),
                Arguments.of("exited with a code",
                        row(State.HEALTHY, EARLIER, EARLIER),
                        List.of(new ContainerStatus("acme.web.3.0", "acme.web", "exited", 137, true, null)),
                        List.of(new ObservedReplicas.Change("acme.web.3.0", State.EXITED, AT, false))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heartbeats")
    void aHeartbeatMovesOnlyWhatChanged(String name, ReplicaStore.Row row, List<ContainerStatus> reported,
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
