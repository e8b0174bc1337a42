package dev.berth.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LockoutPolicyTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    /** failures: minutes before now, separated by spaces. */
    @ParameterizedTest(name = "failures {0} min ago → locked {1}")
    @CsvSource({
            "'0 1 2 3', false",
            "'0 1 2 3 4', true",
            "'0 1 2 3 16', false",
            "'0 1 2 3 15', true",
            "'0 0 0 0 0 0', true",
            "'0 20 30 40 50', false"})
    void locksAfterFiveFailuresInFifteenMinutes(String minutesAgo, boolean locked) {
        List<Instant> failures = Arrays.stream(minutesAgo.split(" ")).map(m -> NOW.minusSeconds(60L * Integer.parseInt(m))).toList();
        var lock = LockoutPolicy.DEFAULT.lockAfterFailure(failures, NOW);
        assertThat(lock.isPresent()).isEqualTo(locked);
        lock.ifPresent(until -> assertThat(until).isEqualTo(NOW.plusSeconds(15 * 60)));
    }

    @Test
    void aFailureThatReadsBackRoundedUpStillCounts() {
        var failures = List.of(NOW.minusSeconds(3), NOW.minusSeconds(2), NOW.minusSeconds(1), NOW.minusNanos(1), NOW.plusNanos(500));
        assertThat(LockoutPolicy.DEFAULT.lockAfterFailure(failures, NOW)).isPresent();
    }

    @ParameterizedTest
    @CsvSource({"-1, true", "0, false", "1, false"})
    void lockHoldsUntilItsEnd(long secondsFromNow, boolean locked) {
        var until = NOW.plusSeconds(-secondsFromNow);
        assertThat(LockoutPolicy.isLocked(until, NOW)).isEqualTo(locked);
    }
}
