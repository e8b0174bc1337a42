package dev.berth.platform.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TrafficWindowTest {
    private static final Instant T0 = Instant.parse("2026-12-05T19:40:00Z");
    private final TrafficWindow window = new TrafficWindow();

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void ratesAreTakenOverTheTimeTheAppWasWatchedUpToTheWindow() {
        window.heard("t/web", at(0));
        window.add("t/web", at(5), 100, 10);
        window.add("t/web", at(15), 100, 0);
        // 20 s watched: 200 requests in 20 s, whichever the window.
        assertThat(window.rates("t/web", at(20))).containsExactly(
                new TrafficWindow.Rate(Duration.ofMinutes(1), 10.0, 0.5), new TrafficWindow.Rate(Duration.ofMinutes(5), 10.0, 0.5));
        // Two minutes on, nothing new: the last minute saw none, the last five saw 200 in 140 s.
        var later = window.rates("t/web", at(140));
        assertThat(later.get(0).requestsPerSecond()).isZero();
        assertThat(later.get(1).requestsPerSecond()).isEqualTo(200 / 140.0);
        // Past five minutes the buckets are gone.
        assertThat(window.rates("t/web", at(20 + 330)).get(1).requestsPerSecond()).isZero();
    }

    @Test
    void unseenAppsHaveNoRatesAndAppsNoEdgeReportsAreForgotten() {
        assertThat(window.rates("t/none", at(0))).isEmpty();
        window.add("t/web", at(0), 10, 0);
        window.heard("t/api", at(0));
        window.heard("t/api", at(200));
        window.prune(at(400));
        assertThat(window.rates("t/web", at(400))).isEmpty();
        assertThat(window.rates("t/api", at(400))).isNotEmpty();
    }

    @Test
    void aFreshAppIsAveragedOverOneBucketAtLeast() {
        window.add("t/web", at(0), 50, 0);
        assertThat(window.rates("t/web", at(1)).getFirst().requestsPerSecond()).isEqualTo(5.0);
    }

    @Test
    void theSeriesCountsFinishedBucketsFromTheFirstSeenWithZerosBetween() {
        assertThat(window.series("t/web", at(0))).isEmpty();
        window.heard("t/web", at(3));
        window.add("t/web", at(12), 30, 1);
        window.add("t/web", at(18), 20, 0);
        window.add("t/web", at(35), 40, 4);
        // At 47 s: the buckets of 0, 10, 20 and 30 s are done; the one of 40 s is still filling.
        assertThat(window.series("t/web", at(47))).containsExactly(
                new TrafficWindow.Bucket(at(0), 0, 0), new TrafficWindow.Bucket(at(10), 50, 1),
                new TrafficWindow.Bucket(at(20), 0, 0), new TrafficWindow.Bucket(at(30), 40, 4));
    }

    @Test
    void theSeriesReachesBackFiveMinutesAtMost() {
        window.add("t/web", at(0), 10, 0);
        window.add("t/web", at(400), 10, 0);
        var series = window.series("t/web", at(405));
        // 400 s: the 30 buckets of the five minutes before the unfinished one of 400 s.
        assertThat(series).hasSize(30);
        assertThat(series.getFirst().start()).isEqualTo(at(100));
        assertThat(series.getLast()).isEqualTo(new TrafficWindow.Bucket(at(390), 0, 0));
        assertThat(series.stream().mapToLong(TrafficWindow.Bucket::requests).sum()).isZero();
    }
}
