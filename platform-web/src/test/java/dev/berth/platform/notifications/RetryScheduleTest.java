package dev.berth.platform.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryScheduleTest {
    private static final Instant CREATED = Instant.parse("2026-12-06T00:00:00Z");

    @ParameterizedTest(name = "after {0} failures, wait {1}")
    @CsvSource({"1, PT30S", "2, PT1M", "3, PT2M", "4, PT4M", "5, PT8M", "6, PT16M", "7, PT32M", "8, PT1H", "9, PT1H",
            "40, PT1H", "1000, PT1H"})
    void theWaitDoublesUpToAnHour(int attempts, Duration wait) {
        assertThat(RetrySchedule.delayAfter(attempts)).isEqualTo(wait);
    }

    @ParameterizedTest(name = "{0} failures, last at +{1}: next {2}")
    @CsvSource({
            "1, PT0S, PT30S",
            "8, PT2H, PT3H",
            // The last try that still falls within the day...
            "20, PT23H, PT24H",
            // ...and none after it.
            "21, PT23H30M, ",
            "5, PT24H, "})
    void triesForADayAfterTheEvent(int attempts, Duration failedAt, Duration next) {
        var expected = next == null ? Optional.<Instant>empty() : Optional.of(CREATED.plus(next));
        assertThat(RetrySchedule.next(CREATED, attempts, CREATED.plus(failedAt))).isEqualTo(expected);
    }
}
