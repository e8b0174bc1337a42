package dev.berth.platform.apps.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChartDataTest {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    static Stream<Arguments> series() {
        return Stream.of(
                // values, JSON of the series, newest value, newest time (seconds after T0)
                Arguments.of(Arrays.asList(), "[]", null, null),
                Arguments.of(Arrays.asList(null, null), "[null,null]", null, null),
                Arguments.of(Arrays.asList(1L, null), "[1,null]", 1L, 0),
                Arguments.of(Arrays.asList(null, 67108864L, null), "[null,67108864,null]", 67108864L, 10),
                Arguments.of(Arrays.asList(0.1234567891, 2.0, 0.0), "[0.123457,2,0]", 0.0, 20),
                Arguments.of(Arrays.asList(Double.NaN, 1e-9), "[null,0.000000001]", 1e-9, 10));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("series")
    void seriesAreSentCompactlyAndReadNewestFirst(List<Number> values, String json, Number newest, Integer newestAfter) {
        var times = java.util.stream.IntStream.range(0, values.size()).mapToObj(i -> T0.plusSeconds(10L * i)).toList();
        var data = ChartData.of(times, List.of(values));
        String timesJson = times.stream().map(t -> Long.toString(t.getEpochSecond()))
                .reduce((a, b) -> a + "," + b).orElse("");
        assertThat(data.json()).isEqualTo("[[" + timesJson + "]," + json + "]");
        assertThat(data.latest(0)).isEqualTo(newest);
        assertThat(data.hasValues()).isEqualTo(newest != null);
        assertThat(data.newestTime()).isEqualTo(newestAfter == null ? null : T0.getEpochSecond() + newestAfter);
    }

    @Test
    void theNewestTimeIsThatOfAnySeries() {
        var times = List.of(T0, T0.plusSeconds(10), T0.plusSeconds(20));
        var data = ChartData.of(times, List.of(Arrays.asList(1.0, null, null), Arrays.asList(null, 5L, null)));
        assertThat(data.newestTime()).isEqualTo(T0.getEpochSecond() + 10);
        assertThat(data.json()).isEqualTo("[[" + T0.getEpochSecond() + "," + (T0.getEpochSecond() + 10) + ","
                + (T0.getEpochSecond() + 20) + "],[1,null,null],[null,5,null]]");
    }

    @Test
    void aChartCanStartAtItsFirstValue() {
        var times = List.of(T0, T0.plusSeconds(10), T0.plusSeconds(20), T0.plusSeconds(30));
        var data = ChartData.of(times, List.of(Arrays.asList(null, null, 3L, null), Arrays.asList(null, 1.5, null, null)));
        assertThat(data.oldestTime()).isEqualTo(T0.getEpochSecond() + 10);
        var trimmed = data.from(data.oldestTime());
        assertThat(trimmed.times()).containsExactly(T0.getEpochSecond() + 10, T0.getEpochSecond() + 20, T0.getEpochSecond() + 30);
        assertThat(trimmed.series()).containsExactly(Arrays.asList(null, 3L, null), Arrays.asList(1.5, null, null));
        assertThat(data.from(T0.getEpochSecond() + 99).times()).isEmpty();
        assertThat(ChartData.of(times, List.of(Arrays.asList(null, null, null, null))).oldestTime()).isNull();
    }

    @Test
    void aSeriesOfAnotherLengthIsRefused() {
        assertThatThrownBy(() -> ChartData.of(List.of(T0), List.of(List.of(1L, 2L))))
                .hasMessage("a series has 2 values for 1 times");
        assertThat(ChartData.of(List.of(T0), List.of(List.of(1L))).series()).hasSize(1);
    }
}
