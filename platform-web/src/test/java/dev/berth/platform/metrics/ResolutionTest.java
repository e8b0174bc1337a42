package dev.berth.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which stored resolution answers a query: the coarsest no coarser than the step whose window holds from. */
class ResolutionTest {
    private static final Instant NOW = Instant.parse("2026-12-06T08:00:00Z");

    static Stream<Arguments> choices() {
        return Stream.of(
                Arguments.of("the last hour by 10 s", Duration.ofMinutes(30), 10, Resolution.RAW),
                Arguments.of("the last hour by minute", Duration.ofMinutes(30), 60, Resolution.MINUTE),
                Arguments.of("the last hour by 5 minutes", Duration.ofMinutes(30), 300, Resolution.MINUTE),
                Arguments.of("the last hour by hour", Duration.ofMinutes(30), 3600, Resolution.TEN_MINUTES),
                Arguments.of("3 hours back by 10 s: raw is gone", Duration.ofHours(3), 10, Resolution.MINUTE),
                Arguments.of("2 days back by minute: minutes are gone", Duration.ofDays(2), 60, Resolution.TEN_MINUTES),
                Arguments.of("exactly at the raw window's edge", Duration.ofHours(1), 10, Resolution.RAW),
                Arguments.of("the default hour aligned down to its step", Duration.ofSeconds(3605), 10, Resolution.RAW),
                Arguments.of("a whole step before the raw window", Duration.ofSeconds(3610), 10, Resolution.MINUTE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("choices")
    void chooses(String name, Duration back, int step, Resolution expected) {
        assertThat(Resolution.forQuery(NOW.minus(back), Duration.ofSeconds(step), NOW)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void bucketsAlignToTheEpoch() {
        assertThat(Resolution.MINUTE.bucketOf(Instant.parse("2026-12-06T08:00:59.999Z"))).isEqualTo(Instant.parse("2026-12-06T08:00:00Z"));
        assertThat(Resolution.TEN_MINUTES.bucketOf(Instant.parse("2026-12-06T08:19:00Z"))).isEqualTo(Instant.parse("2026-12-06T08:10:00Z"));
        assertThat(Resolution.RAW.bucketOf(Instant.parse("2026-12-06T08:00:19Z"))).isEqualTo(Instant.parse("2026-12-06T08:00:10Z"));
    }
}
