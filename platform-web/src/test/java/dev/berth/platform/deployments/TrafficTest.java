package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.deployer.Plan;
import dev.berth.deployer.Replica.State;
import dev.berth.deployer.Step;
import dev.berth.deployer.Strategy;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which replicas take traffic: held out by a blue-green rollout, let in by its switch. */
class TrafficTest {
    private static final Instant AT = Instant.parse("2025-06-01T12:00:00Z");
    private static final Strategy BLUE_GREEN = new Strategy.BlueGreen();
    private static final Strategy ROLLING = new Strategy.Rolling(1, 0);

    /** A live replica of acme/{@code app}: id {@code app.revision.n}. */
    private static ReplicaRow row(String app, long revision, int n, boolean serving) {
        String id = "acme." + app + "." + revision + "." + n;
        return new ReplicaRow(id, id, 1, "acme", app, revision, 7, "h-00000000000" + (n % 2 + 1), AT, null, null,
                State.HEALTHY, AT, AT, serving, null, null);
    }

    private static ReplicaRow serving(long revision, int n) {
        return row("web", revision, n, true);
    }

    private static ReplicaRow heldOut(long revision, int n) {
        return row("web", revision, n, false);
    }

    private static Step.Start start(long revision, int n) {
        return new Step.Start("acme/web", revision, "h-000000000001", "acme.web." + revision + "." + n);
    }

    private static Step.Stop stop(ReplicaRow r) {
        return new Step.Stop(r.id(), "replaced");
    }

    private static Plan plan(Step... steps) {
        return new Plan(List.of(steps));
    }

    static Stream<Arguments> starts() {
        var blue0 = serving(1, 0);
        var blue1 = serving(1, 1);
        return Stream.of(
                Arguments.of("the first rollout serves at once", BLUE_GREEN, List.of(), plan(start(1, 0)), true),
                Arguments.of("blue-green beside another revision waits for the switch", BLUE_GREEN, List.of(blue0, blue1),
                        plan(start(2, 0)), false),
                Arguments.of("blue-green replacing one of its own while the old run still waits", BLUE_GREEN,
                        List.of(blue0, blue1, heldOut(2, 1)), plan(start(2, 0)), false),
                Arguments.of("blue-green whose old replicas all stop in this round serves at once", BLUE_GREEN,
                        List.of(blue0, blue1), plan(stop(blue0), stop(blue1), start(2, 0)), true),
                Arguments.of("blue-green beside its own revision only serves at once", BLUE_GREEN, List.of(serving(2, 1)),
                        plan(start(2, 0)), true),
                Arguments.of("another app's revisions do not count", BLUE_GREEN, List.of(row("api", 1, 0, true)),
                        plan(start(2, 0)), true),
                Arguments.of("rolling always serves at once", ROLLING, List.of(blue0, blue1), plan(start(2, 0)), true),
                Arguments.of("recreate always serves at once", new Strategy.Recreate(), List.of(blue0), plan(start(2, 0)), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("starts")
    void aStartedReplicaServesUnlessBlueGreenHoldsItOut(String name, Strategy strategy, List<ReplicaRow> live, Plan plan,
                                                       boolean expected) {
        var start = plan.steps(Step.Start.class).getFirst();
        assertThat(Traffic.servesAtStart(strategy, start, plan, live)).isEqualTo(expected);
    }

    static Stream<Arguments> rounds() {
        var blue0 = serving(1, 0);
        var blue1 = serving(1, 1);
        var green0 = heldOut(2, 0);
        var green1 = heldOut(2, 1);
        var api = row("api", 3, 0, false);
        return Stream.of(
                Arguments.of("nothing held out", List.of(blue0, blue1), plan(), List.of()),
                Arguments.of("blue-green waiting for health: green stays out", List.of(blue0, blue1, green0, green1),
                        plan(new Step.Wait("acme/web", "waiting")), List.of()),
                Arguments.of("the switch lets green in as blue stops", List.of(blue0, blue1, green0, green1),
                        plan(new Step.SwitchTraffic("acme/web", 2), stop(blue0), stop(blue1)), List.of(green0, green1)),
                Arguments.of("a switch lets its revision in even if something else stays", List.of(blue0, green0, green1),
                        plan(new Step.SwitchTraffic("acme/web", 2)), List.of(green0, green1)),
                Arguments.of("the old replicas exited: the one revision left serves", List.of(blue0, blue1, green0, green1),
                        plan(stop(blue0), stop(blue1), start(2, 2)), List.of(green0, green1)),
                Arguments.of("a held-out replica that stops is not let in", List.of(blue0, green0, green1),
                        plan(new Step.SwitchTraffic("acme/web", 2), stop(blue0), stop(green1)), List.of(green0)),
                Arguments.of("apps are apart: web mid-rollout, api alone", List.of(blue0, green0, api), plan(), List.of(api)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rounds")
    void aRoundLetsInWhatItSwitchesTo(String name, List<ReplicaRow> live, Plan plan, List<ReplicaRow> expected) {
        assertThat(Traffic.letIn(plan, live)).containsExactlyInAnyOrderElementsOf(expected);
    }
}
