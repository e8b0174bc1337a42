package dev.berth.platform.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LateHeartbeatsTest {
    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Duration LOST_AFTER = Duration.ofSeconds(90);

    static Stream<Arguments> hosts() {
        return Stream.of(
                Arguments.of("none", new Long[]{}, 0),
                Arguments.of("on time", new Long[]{0L, 5L, 10L}, 0),
                Arguments.of("exactly twice the interval is not late yet", new Long[]{20L}, 0),
                Arguments.of("just past twice the interval", new Long[]{21L}, 1),
                Arguments.of("at the timeout, not lost yet", new Long[]{90L}, 1),
                Arguments.of("past the timeout counts as lost", new Long[]{91L}, 0),
                Arguments.of("never sent one", new Long[]{null}, 0),
                Arguments.of("a mix", new Long[]{1L, 25L, 60L, null, 300L}, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void countsHostsLateButNotLost(String name, Long[] secondsAgo, int late) {
        var lasts = Arrays.stream(secondsAgo).map(s -> s == null ? null : NOW.minusSeconds(s)).toList();
        assertThat(LateHeartbeats.count(lasts, INTERVAL, LOST_AFTER, NOW)).isEqualTo(late);
    }
}
