package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HealthTrackerTest {
    /** results: one letter per check, P passed, F failed. */
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "'', STARTING",
            "F, STARTING",
            "FF, STARTING",
            "FFF, UNHEALTHY",
            "P, HEALTHY",
            "PF, HEALTHY",
            "PFF, HEALTHY",
            "PFFF, UNHEALTHY",
            "PFFFP, HEALTHY",
            "FFFFP, HEALTHY",
            "PFPFF, HEALTHY"})
    void statusFollowsTheResults(String results, HealthTracker.Status expected) {
        var tracker = HealthTracker.START;
        for (char c : results.toCharArray()) tracker = tracker.next(c == 'P');
        assertThat(tracker.status()).isEqualTo(expected);
    }
}
