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
            "1, 3, FFF, STARTING",
            "1, 3, FFFFFFFFFF, STARTING",
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
            "2, 3, PFPFFFF, STARTING",
            "2, 3, PP, HEALTHY",
            "2, 3, PPFFFP, UNHEALTHY",
            "2, 3, PPFFFPP, HEALTHY",
            "3, 1, PPP, HEALTHY",
            "3, 1, PPPF, UNHEALTHY",
            "3, 1, F, STARTING",
            "3, 1, FPP, STARTING",
            "3, 1, FPPP, HEALTHY",
            "3, 1, FPPPF, UNHEALTHY",
            "1, 1, PFP, HEALTHY"})
    void statusFollowsTheResults(int healthyAfter, int unhealthyAfter, String results, HealthTracker.Status expected) {
        var timing = new HealthTiming(1000, 1000, healthyAfter, unhealthyAfter);
        var tracker = HealthTracker.START;
        for (char c : results.toCharArray()) tracker = tracker.next(c == 'P', timing);
        assertThat(tracker.status()).isEqualTo(expected);
    }

    /** healthyAfter as given; results as above. */
    @ParameterizedTest(name = "interval {0} ms, healthyAfter {1}, {2} → next check in {3} ms")
    @CsvSource({
            "1000, 1, '', 10",
            "1000, 1, F, 10",
            "1000, 1, FF, 20",
            "1000, 1, FFF, 40",
            "1000, 1, FFFF, 80",
            "1000, 1, FFFFF, 160",
            "1000, 1, FFFFFF, 250",
            "10000, 1, FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF, 250",
            "100, 1, FFFFFF, 100",
            "1000, 1, P, 1000",
            "1000, 1, PF, 1000",
            "1000, 1, PFFF, 1000",
            "1000, 2, P, 250",
            "1000, 2, FFFP, 250",
            "1000, 2, PF, 10",
            "1000, 2, PP, 1000"})
    void checksRepeatSoonUntilTheFirstPass(long interval, int healthyAfter, String results, long expected) {
        var timing = new HealthTiming(interval, 100, healthyAfter, 3);
        var tracker = HealthTracker.START;
        for (char c : results.toCharArray()) tracker = tracker.next(c == 'P', timing);
        assertThat(tracker.nextCheckMillis(timing)).isEqualTo(expected);
    }
}
