package dev.berth.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Series from stored samples: increases per bucket, counter resets, gaps, sums over replicas. */
class SeriesBuilderTest {
    private static final Instant NOW = Instant.parse("2026-12-06T08:00:00Z");
    private static final Instant T0 = Instant.parse("2026-12-06T07:00:00Z");
    private static final Duration TEN = Duration.ofSeconds(10);

    private static ReplicaSample at(int seconds, long cpuNanos, long memory, long rx) {
        return new ReplicaSample("r1", T0.plusSeconds(seconds), cpuNanos, memory, 1000L, 3, rx, 2 * rx, 0);
    }

    private static MetricsQuery query(int seconds, int step) {
        return MetricsQuery.parse(T0.toString(), T0.plusSeconds(seconds).toString(), Integer.toString(step), NOW);
    }

    @Test
    void increasesCountInTheBucketOfTheLaterSampleOverTheTimeTheyCover() {
        // Half a core for the first minute, a whole core for the second.
        var samples = List.of(at(-10, 0, 100, 0), at(0, 5_000_000_000L, 100, 1000), at(30, 20_000_000_000L, 300, 4000),
                at(60, 35_000_000_000L, 200, 7000), at(90, 80_000_000_000L, 100, 10_000));
        var s = SeriesBuilder.replica(query(120, 60), TEN, samples);
        assertThat(s.cpuCores()).containsExactly(0.5, 1.0);
        assertThat(s.memoryBytes()).containsExactly(300L, 200L);
        assertThat(s.rxBytesPerSecond()).containsExactly(100.0, 100.0);
        assertThat(s.txBytesPerSecond()).containsExactly(200.0, 200.0);
        assertThat(s.memoryLimitBytes()).containsExactly(1000L, 1000L);
        assertThat(s.pids()).containsExactly(3L, 3L);
    }

    @Test
    void aCounterThatDropsStartedAgainFromZero() {
        var samples = List.of(at(0, 50_000_000_000L, 1, 0), at(10, 2_000_000_000L, 1, 0));
        assertThat(SeriesBuilder.replica(query(20, 10), TEN, samples).cpuCores()).containsExactly(null, 0.2);
    }

    @Test
    void samplesTooFarApartAreNotJoinedAndEmptyBucketsAreNull() {
        // 40 s apart at a 10 s resolution: the replica was not reporting in between.
        var samples = List.of(at(0, 0, 1, 0), at(40, 40_000_000_000L, 1, 0));
        var s = SeriesBuilder.replica(query(60, 10), TEN, samples);
        assertThat(s.cpuCores()).containsOnlyNulls();
        assertThat(s.memoryBytes()).containsExactly(1L, null, null, null, 1L, null);
    }

    @Test
    void totalsSumWhatIsThereAndStayNullWhereNothingIs() {
        var a = new MetricSeries(List.of(0.5, 0.25), Arrays.asList(100L, null), List.of(1000L, 1000L), List.of(2L, 3L),
                List.of(1.0, 1.0), List.of(2.0, 2.0), List.of(0L, 1L));
        var b = new MetricSeries(Arrays.asList(0.5, null), Arrays.asList(50L, null), Arrays.asList(null, null),
                List.of(1L, 1L), List.of(1.0, 1.0), List.of(2.0, 2.0), List.of(0L, 0L));
        var total = SeriesBuilder.total(2, List.of(a, b));
        assertThat(total.cpuCores()).containsExactly(1.0, 0.25);
        assertThat(total.memoryBytes()).containsExactly(150L, null);
        assertThat(total.memoryLimitBytes()).containsExactly(1000L, 1000L);
        assertThat(total.pids()).containsExactly(3L, 4L);
        assertThat(total.restarts()).containsExactly(0L, 1L);
        assertThat(SeriesBuilder.total(2, List.of()).cpuCores()).containsOnlyNulls();
    }
}
