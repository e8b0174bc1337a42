package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.daemon.AssignmentPlan.Held;
import dev.berth.agent.daemon.AssignmentPlan.Owner;
import dev.berth.agent.daemon.AssignmentPlan.Step;
import dev.berth.agent.daemon.AssignmentPlan.Wanted;
import dev.berth.agent.protocol.AssignedContainer;
import dev.berth.agent.protocol.ContainerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AssignmentPlanTest {

    static Wanted wanted(String name, String fingerprint) {
        return new Wanted(name, fingerprint, true);
    }

    /** Listed, but to be kept out of traffic (a blue-green replica before the switch). */
    static Wanted outOfTraffic(String name, String fingerprint) {
        return new Wanted(name, fingerprint, false);
    }

    /** Listed, but asking for something the agent will not run. */
    static Wanted refused(String name, String fingerprint) {
        return new Wanted(name, fingerprint, true, "refused by the agent: rootfs names a host directory");
    }

    static Held platform(String name, String fingerprint) {
        return new Held(name, Owner.PLATFORM, fingerprint, false, true);
    }

    static Held keptOut(String name, String fingerprint) {
        return new Held(name, Owner.PLATFORM, fingerprint, false, false);
    }

    static Held lost(String name, String fingerprint) {
        return new Held(name, Owner.PLATFORM, fingerprint, true, true);
    }

    static Held byHand(String name) {
        return new Held(name, Owner.HAND, null, false, true);
    }

    /** Steps written compactly: start:a, replace:a, remove:a, refuse:a; then traffic changes, in:a or out:a, by name. */
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
        new TreeMap<>(plan.admit()).forEach((name, in) -> out.add((in ? "in:" : "out:") + name));
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
                Arguments.of("a platform container no longer listed is removed, out of traffic at once", List.of(wanted("a", "f1")),
                        List.of(platform("a", "f1"), platform("b", "f2")), List.of("remove:b", "out:b")),
                Arguments.of("an empty assignment removes every platform container", List.of(),
                        List.of(platform("b", "f2"), platform("a", "f1")), List.of("remove:a", "remove:b", "out:a", "out:b")),
                Arguments.of("hand-started containers are never touched", List.of(),
                        List.of(byHand("cli-1"), platform("a", "f1")), List.of("remove:a", "out:a")),
                Arguments.of("a name held by a hand-started container is refused", List.of(outOfTraffic("cli-1", "f1")),
                        List.of(byHand("cli-1")), List.of("refuse:cli-1")),
                Arguments.of("a lost process with the same spec is replaced", List.of(wanted("a", "f1")),
                        List.of(lost("a", "f1")), List.of("replace:a")),
                Arguments.of("a lost process no longer listed is removed", List.of(), List.of(lost("a", "f1")),
                        List.of("remove:a", "out:a")),
                Arguments.of("a name listed twice is refused the second time", List.of(wanted("a", "f1"), wanted("a", "f2")),
                        List.of(), List.of("start:a", "refuse:a")),
                Arguments.of("start, keep, replace and remove at once",
                        List.of(wanted("new", "n"), wanted("same", "s"), wanted("changed", "c2")),
                        List.of(platform("same", "s"), platform("changed", "c1"), platform("gone", "g"), byHand("mine")),
                        List.of("start:new", "replace:changed", "remove:gone", "out:gone")),
                // The traffic flag is no part of the fingerprint: flipping it restarts nothing.
                Arguments.of("a new container kept out of traffic starts like any other",
                        List.of(wanted("blue", "b"), outOfTraffic("green", "g")), List.of(platform("blue", "b")),
                        List.of("start:green")),
                Arguments.of("kept out, and still kept out: nothing to do",
                        List.of(wanted("blue", "b"), outOfTraffic("green", "g")),
                        List.of(platform("blue", "b"), keptOut("green", "g")), List.of()),
                Arguments.of("the switch: green in and blue dropped, no restart",
                        List.of(wanted("green", "g")), List.of(platform("blue", "b"), keptOut("green", "g")),
                        List.of("remove:blue", "out:blue", "in:green")),
                Arguments.of("the switch with blue kept but out of traffic: neither restarts",
                        List.of(outOfTraffic("blue", "b"), wanted("green", "g")),
                        List.of(platform("blue", "b"), keptOut("green", "g")), List.of("out:blue", "in:green")),
                Arguments.of("a changed spec and a flipped flag: replaced, and the flag changes at once",
                        List.of(outOfTraffic("a", "f2")), List.of(platform("a", "f1")), List.of("replace:a", "out:a")),
                Arguments.of("a dropped container already out of traffic is only removed", List.of(),
                        List.of(keptOut("green", "g")), List.of("remove:green")),
                Arguments.of("a hand-started container's traffic is never changed", List.of(), List.of(byHand("mine")),
                        List.of()),
                Arguments.of("a refused container is never started; the rest of the assignment is",
                        List.of(refused("a", "f1"), wanted("b", "f2")), List.of(), List.of("refuse:a", "start:b")),
                Arguments.of("a platform container whose new assignment is refused goes, out of traffic at once",
                        List.of(refused("a", "f2")), List.of(platform("a", "f1")), List.of("replace:a", "out:a")),
                Arguments.of("even with the fingerprint it runs: an older agent may have started what is refused now",
                        List.of(refused("a", "f1")), List.of(platform("a", "f1")), List.of("replace:a", "out:a")),
                Arguments.of("a refused name held by hand is still the hand's", List.of(refused("cli-1", "f1")),
                        List.of(byHand("cli-1")), List.of("refuse:cli-1")));
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
            if (step.isEmpty() || step.get() instanceof Step.Refuse) {
                boolean admitted = plan.admit().getOrDefault(h.name(), h.admitted());
                after.add(new Held(h.name(), h.owner(), h.fingerprint(), h.lost(), admitted));
            }
        }
        var seen = new java.util.HashSet<String>();
        for (Wanted w : wanted) {
            if (!seen.add(w.name())) continue;
            var step = plan.stepFor(w.name());
            if (step.isPresent() && (step.get() instanceof Step.Start || step.get() instanceof Step.Replace)) {
                after.removeIf(h -> h.name().equals(w.name()));
                if (w.refusal() == null) after.add(new Held(w.name(), Owner.PLATFORM, w.fingerprint(), false, w.serving()));
            }
        }
        var again = AssignmentPlan.of(wanted, after);
        assertThat(again.steps()).allMatch(s -> s instanceof Step.Refuse);
        assertThat(again.admit()).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void refusalsSayWhy() {
        var plan = AssignmentPlan.of(List.of(wanted("cli-1", "f")), List.of(byHand("cli-1")));
        assertThat(((Step.Refuse) plan.steps().getFirst()).why())
                .contains("started by hand").contains("berth-agent rm cli-1");
    }

    /** Two assignments of one container that differ as the row says; whether the agent replaces it. */
    static Stream<Arguments> assignedTwice() {
        var spec = new ContainerSpec(ContainerSpec.VERSION, "web-1", "web", "/srv/rootfs", null, List.of("/bin/httpd"),
                Map.of("A", "1"), null, null, null, null, null, List.of(new ContainerSpec.PortPublish(null, 0, 8080)), null, null,
                null, null, null);
        var changedEnv = spec.withEnv(Map.of("A", "2"));
        var base = new AssignedContainer(spec, 7, Map.of("S", "x"), false);
        return Stream.of(
                Arguments.of("serving false to true", base, new AssignedContainer(spec, 7, Map.of("S", "x"), true),
                        List.of("in:web-1")),
                Arguments.of("serving absent (an older platform) is true", base, new AssignedContainer(spec, 7, Map.of("S", "x"), null),
                        List.of("in:web-1")),
                Arguments.of("the same again", base, new AssignedContainer(spec, 7, Map.of("S", "x"), false), List.of()),
                Arguments.of("another revision label, same spec", base, new AssignedContainer(spec, 8, Map.of("S", "x"), false),
                        List.of()),
                Arguments.of("a changed env, flag kept", base, new AssignedContainer(changedEnv, 7, Map.of("S", "x"), false),
                        List.of("replace:web-1")),
                Arguments.of("a changed secret and the flag flipped", base, new AssignedContainer(spec, 7, Map.of("S", "y"), true),
                        List.of("replace:web-1", "in:web-1")));
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("assignedTwice")
    void onlyTheSpecAndSecretsReplaceAContainerNotItsTrafficFlag(String title, AssignedContainer first,
                                                                   AssignedContainer then, List<String> expected) {
        byte[] key = "0123456789abcdef0123456789abcdef".getBytes();
        var held = new Held("web-1", Owner.PLATFORM, SpecFingerprint.of(key, first), false, first.serving());
        var plan = AssignmentPlan.of(List.of(new Wanted("web-1", SpecFingerprint.of(key, then), then.serving())), List.of(held));
        assertThat(shorthand(plan)).isEqualTo(expected);
    }
}
