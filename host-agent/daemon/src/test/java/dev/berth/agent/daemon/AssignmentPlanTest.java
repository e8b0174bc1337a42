package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.daemon.AssignmentPlan.Held;
import dev.berth.agent.daemon.AssignmentPlan.Owner;
import dev.berth.agent.daemon.AssignmentPlan.Step;
import dev.berth.agent.daemon.AssignmentPlan.Wanted;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AssignmentPlanTest {

    static Wanted wanted(String name, String fingerprint) {
        return new Wanted(name, fingerprint);
    }

    static Held platform(String name, String fingerprint) {
        return new Held(name, Owner.PLATFORM, fingerprint, false);
    }

    static Held lost(String name, String fingerprint) {
        return new Held(name, Owner.PLATFORM, fingerprint, true);
    }

    static Held byHand(String name) {
        return new Held(name, Owner.HAND, null, false);
    }

    /** Steps written compactly: start:a, replace:a, remove:a, refuse:a. */
    static List<String> shorthand(AssignmentPlan plan) {
        var out = new ArrayList<String>();
        for (Step s : plan.steps()) {
            out.add(switch (s) {
                case Step.Start st -> "start:" + st.name();
                case Step.Replace r -> "replace:" + r.name();
                case Step.Remove r -> "remove:" + r.name();
                case Step.Refuse r -> "refuse:" + r.name();
            });
        }
        return out;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("nothing wanted, nothing held", List.of(), List.of(), List.of()),
                Arguments.of("a new host starts everything", List.of(wanted("a", "f1"), wanted("b", "f2")), List.of(),
                        List.of("start:a", "start:b")),
                Arguments.of("the same assignment again is a no-op", List.of(wanted("a", "f1"), wanted("b", "f2")),
                        List.of(platform("a", "f1"), platform("b", "f2")), List.of()),
                Arguments.of("a changed spec replaces only that container", List.of(wanted("a", "f1"), wanted("b", "f3")),
                        List.of(platform("a", "f1"), platform("b", "f2")), List.of("replace:b")),
                Arguments.of("a platform container no longer listed is removed", List.of(wanted("a", "f1")),
                        List.of(platform("a", "f1"), platform("b", "f2")), List.of("remove:b")),
                Arguments.of("an empty assignment removes every platform container", List.of(),
                        List.of(platform("b", "f2"), platform("a", "f1")), List.of("remove:a", "remove:b")),
                Arguments.of("hand-started containers are never touched", List.of(),
                        List.of(byHand("cli-1"), platform("a", "f1")), List.of("remove:a")),
                Arguments.of("a name held by a hand-started container is refused", List.of(wanted("cli-1", "f1")),
                        List.of(byHand("cli-1")), List.of("refuse:cli-1")),
                Arguments.of("a lost process with the same spec is replaced", List.of(wanted("a", "f1")),
                        List.of(lost("a", "f1")), List.of("replace:a")),
                Arguments.of("a lost process no longer listed is removed", List.of(), List.of(lost("a", "f1")),
                        List.of("remove:a")),
                Arguments.of("a name listed twice is refused the second time", List.of(wanted("a", "f1"), wanted("a", "f2")),
                        List.of(), List.of("start:a", "refuse:a")),
                Arguments.of("start, keep, replace and remove at once",
                        List.of(wanted("new", "n"), wanted("same", "s"), wanted("changed", "c2")),
                        List.of(platform("same", "s"), platform("changed", "c1"), platform("gone", "g"), byHand("mine")),
                        List.of("start:new", "replace:changed", "remove:gone")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void plans(String title, List<Wanted> wanted, List<Held> held, List<String> expected) {
        var plan = AssignmentPlan.of(wanted, held);
        assertThat(shorthand(plan)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: applying the plan and planning again gives nothing")
    @MethodSource("cases")
    void aPlanAppliedLeavesNothingToDo(String title, List<Wanted> wanted, List<Held> held, List<String> expected) {
        var plan = AssignmentPlan.of(wanted, held);
        var after = new ArrayList<Held>();
        for (Held h : held) {
            var step = plan.stepFor(h.name());
            if (step.isEmpty() || step.get() instanceof Step.Refuse) after.add(h);
        }
        var seen = new java.util.HashSet<String>();
        for (Wanted w : wanted) {
            if (!seen.add(w.name())) continue;
            var step = plan.stepFor(w.name());
            if (step.isPresent() && (step.get() instanceof Step.Start || step.get() instanceof Step.Replace)) {
                after.removeIf(h -> h.name().equals(w.name()));
                after.add(platform(w.name(), w.fingerprint()));
            }
        }
        assertThat(AssignmentPlan.of(wanted, after).steps()).allMatch(s -> s instanceof Step.Refuse);
    }

    @org.junit.jupiter.api.Test
    void refusalsSayWhy() {
        var plan = AssignmentPlan.of(List.of(wanted("cli-1", "f")), List.of(byHand("cli-1")));
        assertThat(((Step.Refuse) plan.steps().getFirst()).why())
                .contains("started by hand").contains("berth-agent rm cli-1");
    }
}
