package dev.berth.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackendPoolTest {

    /**
     * members: a, b, c added in that order; setup: space-separated words, "ready:x", "drain:x",
     * "untargeted:x" (added without a target), "kept-out:x" (added not admitted), "remove:x",
     * "switch:+x-y" (one admit: x in, y out); picks: the next five picks, "-" for none.
     */
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "ready:a ready:b ready:c | a b c a b",
            "ready:a ready:c | a c a c a",
            "ready:a ready:b ready:c drain:b | a c a c a",
            "'' | - - - - -",
            "ready:c | c c c c c",
            "untargeted:a ready:a ready:b ready:c | b c b c b",
            "ready:a ready:b ready:c remove:a | b c b c b",
            "ready:a ready:b ready:c drain:a drain:b drain:c | - - - - -",
            "kept-out:c ready:a ready:b ready:c | a b a b a",
            "kept-out:c ready:a ready:b ready:c switch:+c-a-b | c c c c c",
            "kept-out:c ready:a ready:b switch:+c-a-b | - - - - -",
            "ready:a ready:b ready:c switch:-b | a c a c a",
            "ready:a ready:b ready:c switch:-b switch:+b | a b c a b",
            "ready:a ready:b ready:c switch:-b drain:c switch:+c | a a a a a",
            "kept-out:c ready:a ready:b ready:c switch:+c+x | a b c a b"})
    void newConnectionsGoRoundRobinOverServingMembers(String setup, String picks) {
        var pool = new BackendPool<String>();
        var words = setup.isBlank() ? List.<String>of() : Arrays.asList(setup.split(" "));
        for (String name : List.of("a", "b", "c")) {
            pool.add(name, words.contains("untargeted:" + name) ? null : "target-" + name, !words.contains("kept-out:" + name));
        }
        for (String w : words) {
            String[] op = w.split(":");
            switch (op[0]) {
                case "ready" -> pool.ready(op[1], true);
                case "drain" -> pool.drain(op[1]);
                case "remove" -> pool.remove(op[1]);
                case "switch" -> {
                    var change = new java.util.HashMap<String, Boolean>();
                    for (int i = 0; i < op[1].length(); i += 2) change.put(op[1].substring(i + 1, i + 2), op[1].charAt(i) == '+');
                    pool.admit(change);
                }
                case "untargeted", "kept-out" -> { }
                default -> throw new IllegalArgumentException(w);
            }
        }
        var seen = new ArrayList<String>();
        for (int i = 0; i < 5; i++) seen.add(pool.pick(Set.of()).map(BackendPool.Lease::container).orElse("-"));
        assertThat(String.join(" ", seen)).isEqualTo(picks);
    }

    @Test
    void connectionsAreCountedUntilReleasedEvenAfterTheMemberLeft() {
        var pool = new BackendPool<String>();
        pool.add("a", "target-a");
        pool.ready("a", true);
        var first = pool.pick(Set.of()).orElseThrow();
        var second = pool.pick(Set.of()).orElseThrow();
        assertThat(first.target()).isEqualTo("target-a");
        assertThat(pool.active("a")).isEqualTo(2);
        pool.drain("a");
        assertThat(pool.serving("a")).isFalse();
        assertThat(pool.pick(Set.of())).isEmpty();
        assertThat(pool.active("a")).as("open connections carry on").isEqualTo(2);
        pool.release(first);
        assertThat(pool.active("a")).isEqualTo(1);

        // Removed and added again (a replacement of the same name): the old lease does not count on the new member.
        pool.remove("a");
        pool.add("a", "target-a2");
        pool.release(second);
        pool.ready("a", true);
        var third = pool.pick(Set.of()).orElseThrow();
        assertThat(third.target()).isEqualTo("target-a2");
        assertThat(pool.active("a")).isEqualTo(1);
    }

    @Test
    void aMemberWhoseConnectionFailedIsSkippedForThatConnection() {
        var pool = new BackendPool<String>();
        pool.add("a", "ta");
        pool.add("b", "tb");
        pool.ready("a", true);
        pool.ready("b", true);
        assertThat(pool.pick(Set.of("a")).orElseThrow().container()).isEqualTo("b");
        assertThat(pool.pick(Set.of("a", "b"))).isEmpty();
    }

    @Test
    void aSwitchIsOneStepForEveryPick() throws Exception {
        var pool = new BackendPool<String>();
        for (String name : List.of("blue-1", "blue-2", "green-1", "green-2")) {
            pool.add(name, "target-" + name, name.startsWith("blue"));
            pool.ready(name, true);
        }
        var sequences = new java.util.concurrent.CopyOnWriteArrayList<String>();
        var count = new java.util.concurrent.atomic.AtomicLong();
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        var pickers = new ArrayList<Thread>();
        for (int t = 0; t < 4; t++) {
            pickers.add(Thread.ofPlatform().start(() -> {
                var mine = new ArrayList<String>();
                while (!stop.get()) {
                    var lease = pool.pick(Set.of());
                    mine.add(lease.map(BackendPool.Lease::container).orElse("-"));
                    lease.ifPresent(pool::release);
                    count.incrementAndGet();
                }
                sequences.add(String.join(" ", mine));
            }));
        }
        while (count.get() < 1000) Thread.onSpinWait();
        pool.admit(java.util.Map.of("green-1", true, "green-2", true, "blue-1", false, "blue-2", false));
        long switched = count.get();
        while (count.get() < switched + 1000) Thread.onSpinWait();
        stop.set(true);
        for (Thread t : pickers) t.join();
        assertThat(sequences).hasSize(4);
        for (String sequence : sequences) {
            // Each picker sees blue, then green, never blue again, and never nothing: no moment has a mixed or empty set.
            var picked = List.of(sequence.split(" "));
            assertThat(picked).doesNotContain("-");
            int firstGreen = picked.indexOf("green-1") < 0 ? picked.indexOf("green-2")
                    : picked.indexOf("green-2") < 0 ? picked.indexOf("green-1")
                    : Math.min(picked.indexOf("green-1"), picked.indexOf("green-2"));
            if (firstGreen >= 0) assertThat(picked.subList(firstGreen, picked.size())).allMatch(c -> c.startsWith("green-"));
        }
        assertThat(String.join(" ", sequences)).contains("blue-1").contains("green-1");
    }

    @Test
    void aContainerIsBehindAPortOnce() {
        var pool = new BackendPool<String>();
        pool.add("a", null);
        assertThatThrownBy(() -> pool.add("a", null)).hasMessageContaining("'a' is already behind this port");
        assertThat(pool.containers()).containsExactly("a");
        pool.remove("a");
        assertThat(pool.isEmpty()).isTrue();
    }
}
