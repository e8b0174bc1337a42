package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.deployer.Replica.State;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConvergenceTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("every wanted replica of the revision healthy", List.of("5:HEALTHY", "5:HEALTHY"), 2, true),
                Arguments.of("one still starting", List.of("5:HEALTHY", "5:STARTING"), 2, false),
                Arguments.of("one too few", List.of("5:HEALTHY"), 2, false),
                Arguments.of("an old replica still runs", List.of("5:HEALTHY", "5:HEALTHY", "4:HEALTHY"), 2, false),
                Arguments.of("an unhealthy one", List.of("5:HEALTHY", "5:UNHEALTHY"), 2, false),
                Arguments.of("none wanted, none running", List.of(), 0, true),
                Arguments.of("none wanted, one left", List.of("5:HEALTHY"), 0, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void runsAsAsked(String name, List<String> live, int want, boolean expected) {
        var rows = new ArrayList<ReplicaRow>();
        for (String r : live) rows.add(row(Long.parseLong(r.split(":")[0]), State.valueOf(r.split(":")[1]), rows.size()));
        assertThat(Convergence.runsAsAsked(rows, 5, want)).isEqualTo(expected);
    }

    private static ReplicaRow row(long revision, State state, int index) {
        String id = "acme.web." + revision + "." + index;
        return new ReplicaRow(id, id, 1, "acme", "web", revision, 1, "h-000000000001", Instant.EPOCH, null, null, state,
                Instant.EPOCH, Instant.EPOCH, true, null, null);
    }
}
