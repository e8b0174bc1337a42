package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.HealthTiming;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HealthTrackerTest {
    /** results: one letter per check, P passed, F failed; healthyAfter and unhealthyAfter as the timing gives them. */
    @ParameterizedTest(name = "healthyAfter {0}, unhealthyAfter {1}: {2} → {3}")
    @CsvSource({
            "1, 3, '', STARTING",
            "1, 3, F, STARTING",
            "1, 3, FF, STARTING",
            "1, 3, FFF, UNHEALTHY",
            "1, 3, P, HEALTHY",
            "1, 3, PF, HEALTHY",
            "1, 3, PFF, HEALTHY",
            "1, 3, PFFF, UNHEALTHY",
            "1, 3, PFFFP, HEALTHY",
            "1, 3, FFFFP, HEALTHY",
            "1, 3, PFPFF, HEALTHY",
            "2, 3, P, STARTING",
            "2, 3, PF, STARTING",
            "2, 3, PFP, STARTING",
            "2, 3, PP, HEALTHY",
            "2, 3, PPFFFP, UNHEALTHY",
            "2, 3, PPFFFPP, HEALTHY",
            "3, 1, PPP, HEALTHY",
            "3, 1, PPPF, UNHEALTHY",
            "3, 1, F, UNHEALTHY",
            "3, 1, FPP, UNHEALTHY",
            "3, 1, FPPP, HEALTHY",
            "1, 1, PFP, HEALTHY"})
    void statusFollowsTheResults(int healthyAfter, int unhealthyAfter, String results, HealthTracker.Status expected) {
        var timing = new HealthTiming(1000, 1000, healthyAfter, unhealthyAfter);
        var tracker = HealthTracker.START;
        for (char c : results.toCharArray()) tracker = tracker.next(c == 'P', timing);
        assertThat(tracker.status()).isEqualTo(expected);
    }
}
