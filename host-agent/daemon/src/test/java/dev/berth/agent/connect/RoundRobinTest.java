package dev.berth.agent.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RoundRobinTest {
    /** One pick: from these backends, skipping those tried, what comes out. */
    record Pick(List<String> backends, Set<String> tried, String expected) {
    }

    record Case(String name, List<Pick> picks) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Pick pick(List<String> backends, String expected) {
        return new Pick(backends, Set.of(), expected);
    }

    static Stream<Case> cases() {
        var ab = List.of("a", "b");
        var abc = List.of("a", "b", "c");
        return Stream.of(
                new Case("in turn, round and round", List.of(pick(ab, "a"), pick(ab, "b"), pick(ab, "a"), pick(ab, "b"))),
                new Case("none: nothing", List.of(pick(List.of(), null), pick(List.of(), null))),
                new Case("one: always it", List.of(pick(List.of("a"), "a"), pick(List.of("a"), "a"))),
                new Case("a tried one is skipped, the turn goes on after the one picked",
                        List.of(pick(abc, "a"), new Pick(abc, Set.of("b"), "c"), pick(abc, "a"))),
                new Case("all tried: nothing", List.of(new Pick(ab, Set.of("a", "b"), null), pick(ab, "a"))),
                new Case("the list shrinks under the turn: it wraps", List.of(pick(abc, "a"), pick(abc, "b"), pick(abc, "c"),
                        pick(ab, "a"), pick(List.of("b"), "b"))),
                new Case("the list changes: the turn carries on by position",
                        List.of(pick(ab, "a"), pick(List.of("x", "y", "z"), "y"), pick(List.of("x", "y", "z"), "z"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void picks(Case c) {
        var turn = new RoundRobin();
        var got = new ArrayList<String>();
        var expected = new ArrayList<String>();
        for (var p : c.picks()) {
            Optional<String> picked = turn.pick(p.backends(), p.tried());
            got.add(picked.orElse(null));
            expected.add(p.expected());
        }
        assertThat(got).isEqualTo(expected);
    }
}
