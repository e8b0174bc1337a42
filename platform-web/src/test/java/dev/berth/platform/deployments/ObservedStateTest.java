package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.deployer.Replica.State;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A heartbeat's container status to the state the planner counts. */
class ObservedStateTest {
    static Stream<Arguments> statuses() {
        return Stream.of(
                Arguments.of("assigned, never reported", null, false, State.STARTING, State.STARTING),
                Arguments.of("reported before, missing now: gone", null, true, State.HEALTHY, State.EXITED),
                Arguments.of("reported before while starting, missing now: gone", null, true, State.STARTING, State.EXITED),
                Arguments.of("running without a health check", status("running", null, null), false, State.STARTING, State.HEALTHY),
                Arguments.of("running, healthy", status("running", "healthy", null), true, State.STARTING, State.HEALTHY),
                Arguments.of("running, starting", status("running", "starting", null), false, State.STARTING, State.STARTING),
                Arguments.of("running, unhealthy", status("running", "unhealthy", null), true, State.HEALTHY, State.UNHEALTHY),
                Arguments.of("exited after serving: replaced", status("exited", null, 1), true, State.HEALTHY, State.EXITED),
                Arguments.of("exited while unhealthy: replaced", status("exited", null, 1), true, State.UNHEALTHY, State.EXITED),
                Arguments.of("exited before it ever served: the gate decides", status("exited", null, 1), true, State.STARTING,
                        State.STARTING),
                Arguments.of("exited 0 before it ever served: the gate decides", status("exited", null, 0), true, State.STARTING,
                        State.STARTING),
                Arguments.of("stopped after serving", status("stopped", null, 137), true, State.HEALTHY, State.EXITED),
                Arguments.of("created, not running yet", status("created", null, null), false, State.STARTING, State.STARTING),
                Arguments.of("assigned, being prepared (pulling its image)", status("starting", null, null), true, State.STARTING,
                        State.STARTING),
                Arguments.of("could not be started, never served: retried, the gate decides", status("failed", null, null), true,
                        State.STARTING, State.STARTING),
                Arguments.of("could not be started, first report", status("failed", null, null), false, State.STARTING,
                        State.STARTING),
                Arguments.of("could not be restarted after serving: replaced", status("failed", null, null), true,
                        State.HEALTHY, State.EXITED),
                Arguments.of("the runtime could not tell; the agent replaces it", status("unknown", "starting", null), true,
                        State.HEALTHY, State.STARTING));
    }

    private static ContainerStatus status(String state, String health, Integer exit) {
        return new ContainerStatus("acme.web.1.0", "acme.web", state, exit, false, health);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statuses")
    void aReportBecomesAPlannerState(String name, ContainerStatus reported, boolean reportedBefore, State before, State expected) {
        assertThat(ObservedState.of(reported, reportedBefore, before)).isEqualTo(expected);
    }
}
