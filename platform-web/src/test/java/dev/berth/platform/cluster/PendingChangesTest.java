package dev.berth.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PendingChangesTest {

    /** Steps: a topic, "G" for a generation move, "|" for a send; what each send carries, and when a send was scheduled. */
    static Stream<Arguments> bursts() {
        return Stream.of(
                Arguments.of(List.of("|"), List.of(new ChangeBatch(Set.of(), false)), List.of()),
                // A hundred heartbeats of one host become one topic in one send, scheduled once.
                Arguments.of(Stream.concat(Stream.generate(() -> "host:1").limit(100), Stream.of("|")).toList(),
                        List.of(new ChangeBatch(Set.of("host:1"), false)), List.of(0)),
                Arguments.of(List.of("host:1", "G", "host:2", "G", "host:1", "|"),
                        List.of(new ChangeBatch(Set.of("host:1", "host:2"), true)), List.of(0)),
                Arguments.of(List.of("G", "|", "app:a/b", "|", "|"),
                        List.of(new ChangeBatch(Set.of(), true), new ChangeBatch(Set.of("app:a/b"), false), new ChangeBatch(Set.of(), false)),
                        List.of(0, 2)));
    }

    @ParameterizedTest
    @MethodSource("bursts")
    void coalescesBetweenSends(List<String> steps, List<ChangeBatch> sends, List<Integer> scheduledAt) {
        var pending = new PendingChanges();
        var sent = new ArrayList<ChangeBatch>();
        var scheduled = new ArrayList<Integer>();
        for (int i = 0; i < steps.size(); i++) {
            String step = steps.get(i);
            boolean schedule = switch (step) {
                case "|" -> {
                    sent.add(pending.take());
                    yield false;
                }
                case "G" -> pending.generationMoved();
                default -> pending.add(step);
            };
            if (schedule) scheduled.add(i);
        }
        assertThat(sent).isEqualTo(sends);
        assertThat(scheduled).isEqualTo(scheduledAt);
    }

    @Test
    void aBatchPutBackMergesWithWhatCameMeanwhile() {
        var pending = new PendingChanges();
        pending.add("app:a/b");
        var failed = pending.take();
        assertThat(pending.add("host:1")).isTrue();

        assertThat(pending.putBack(failed)).as("something was pending already: a send is scheduled").isFalse();
        assertThat(pending.take()).isEqualTo(new ChangeBatch(Set.of("app:a/b", "host:1"), false));
        assertThat(pending.putBack(new ChangeBatch(Set.of(), true))).isTrue();
        assertThat(pending.putBack(new ChangeBatch(Set.of(), false))).isFalse();
    }
}
