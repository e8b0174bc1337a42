package dev.berth.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.problem.Problem;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** from/to/step: defaults, alignment, and a clear 400 for each mistake. */
class MetricsQueryTest {
    private static final Instant NOW = Instant.parse("2026-12-06T08:00:05Z");

    @Test
    void defaultsToTheLastHourByMinuteAlignedToTheStep() {
        var q = MetricsQuery.parse(null, null, null, NOW);
        assertThat(q.from()).isEqualTo(Instant.parse("2026-12-06T07:00:00Z"));
        assertThat(q.step()).isEqualTo(Duration.ofMinutes(1));
        assertThat(q.count()).isEqualTo(61);
        assertThat(q.to()).isEqualTo(Instant.parse("2026-12-06T08:01:00Z"));
        assertThat(q.bucketOf(Instant.parse("2026-12-06T07:00:59Z"))).isZero();
        assertThat(q.bucketOf(Instant.parse("2026-12-06T08:00:05Z"))).isEqualTo(60);
        assertThat(q.bucketOf(Instant.parse("2026-12-06T06:59:59Z"))).isEqualTo(-1);
    }

    @Test
    void stepIsSecondsOrAnIsoDuration() {
        assertThat(MetricsQuery.parse("2026-12-06T07:00:00Z", "2026-12-06T08:00:00Z", "PT10M", NOW).count()).isEqualTo(6);
        assertThat(MetricsQuery.parse("2026-12-06T07:00:00Z", "2026-12-06T08:00:00Z", "600", NOW).count()).isEqualTo(6);
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of(null, null, "5", "step must be a multiple of 10 seconds, at least 10, not 5"),
                Arguments.of(null, null, "15", "step must be a multiple of 10 seconds, at least 10, not 15"),
                Arguments.of(null, null, "fast", "step must be seconds (60) or an ISO-8601 duration (PT1M), not 'fast'"),
                Arguments.of("yesterday", null, null, "from must be an ISO-8601 instant such as 2026-12-06T08:00:00Z, not 'yesterday'"),
                Arguments.of(null, "2026-13-01T00:00:00Z", null, "to must be an ISO-8601 instant"),
                Arguments.of("2026-12-06T08:00:00Z", "2026-12-06T07:00:00Z", null,
                        "from (2026-12-06T08:00:00Z) must be before to (2026-12-06T07:00:00Z)"),
                Arguments.of("2026-11-28T08:00:00Z", null, "600", "from (2026-11-28T08:00:00Z) is older than the 7 days of metrics kept"),
                Arguments.of("2026-11-30T08:00:00Z", null, "10", "from/to/step ask for 51841 points; at most 1500"));
    }

    @ParameterizedTest(name = "{3}")
    @MethodSource("mistakes")
    void mistakesAreInvalidRequestsSayingWhatIsWrong(String from, String to, String step, String message) {
        assertThatThrownBy(() -> MetricsQuery.parse(from, to, step, NOW)).isInstanceOf(Problem.Invalid.class)
                .hasMessageStartingWith(message);
    }
}
