package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How long a container that could not be started waits before the next attempt, and how its error is reported. */
class RetryBackoffTest {
    @ParameterizedTest(name = "after {0} failures: {1} s")
    @CsvSource({"0, 1", "1, 1", "2, 2", "3, 4", "4, 8", "6, 32", "7, 60", "30, 60", "1000, 60"})
    void doublesFromASecondUpToAMinute(int failures, long seconds) {
        assertThat(AssignmentApplier.backoff(failures)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest(name = "an error of {0} characters is reported with {1}")
    @CsvSource({"0, 0", "999, 999", "1000, 1000", "1001, 1000", "100000, 1000"})
    void aFailedStartsErrorIsReportedBounded(int length, int reported) {
        String error = "x".repeat(length);
        String sent = AssignmentApplier.reported(error);
        assertThat(sent).hasSize(reported);
        if (length > reported) assertThat(sent).endsWith("…").startsWith("x".repeat(reported - 1));
        else assertThat(sent).isEqualTo(error);
    }

    @org.junit.jupiter.api.Test
    void aBoundedErrorNeverEndsInHalfACharacter() {
        // The cut would fall between the two halves of the first emoji.
        String error = "x".repeat(998) + "😀".repeat(10);
        String sent = AssignmentApplier.reported(error);
        assertThat(sent).isEqualTo("x".repeat(998) + "…");
        assertThat(AssignmentApplier.reported("x".repeat(997) + "😀".repeat(10))).isEqualTo("x".repeat(997) + "😀…");
        assertThat(sent.length()).isLessThanOrEqualTo(1000);
    }
}
