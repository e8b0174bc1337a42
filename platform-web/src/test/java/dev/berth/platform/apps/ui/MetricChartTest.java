package dev.berth.platform.apps.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.metrics.AppMetrics;
import dev.berth.platform.metrics.MetricSeries;
import dev.berth.platform.traffic.EdgeTraffic;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricChartTest {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private static final long S0 = T0.getEpochSecond();
    private static final long MIB = 1024 * 1024;
    /** Three buckets: no sample, then two; the limit is known from the second on. */
    private static final AppMetrics METRICS = new AppMetrics("acme", "web", T0, T0.plusSeconds(30), 10, 10,
            List.of(T0, T0.plusSeconds(10), T0.plusSeconds(20)),
            new MetricSeries(Arrays.asList(null, null, 0.0125), Arrays.asList(null, 3 * MIB, 4 * MIB),
                    Arrays.asList(null, 64 * MIB, 64 * MIB), Arrays.asList(null, 2L, 3L), Arrays.asList(null, null, 1536.0),
                    Arrays.asList(null, null, 512.0), Arrays.asList(null, 0L, 1L)),
            List.of());

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "CPU      | [null,null,0.0125]                          | used 0.0125 cores",
            "MEMORY   | [null,3145728,4194304],[null,67108864,67108864] | used 4.0 MiB · limit 64.0 MiB",
            "NETWORK  | [null,null,1536],[null,null,512]            | received 1.5 KiB/s · sent 512 B/s",
            "RESTARTS | [null,0,1]                                  | restarts 1"})
    void eachChartTakesItsSeriesFromTheTotals(MetricChart chart, String series, String latest) {
        var data = chart.of(METRICS);
        assertThat(data.json()).isEqualTo("[[" + S0 + "," + (S0 + 10) + "," + (S0 + 20) + "]," + series + "]");
        assertThat(chart.latest(data)).isEqualTo(latest);
        assertThat(chart.fromSamples()).isTrue();
    }

    @Test
    void aSeriesWithoutAnyValueReadsAsADash() {
        var none = new AppMetrics("acme", "web", T0, T0.plusSeconds(10), 10, 10, List.of(T0),
                new MetricSeries(Arrays.asList((Double) null), Arrays.asList(5L), Arrays.asList((Long) null),
                        Arrays.asList(1L), Arrays.asList((Double) null), Arrays.asList((Double) null), Arrays.asList(0L)),
                List.of());
        assertThat(MetricChart.MEMORY.latest(MetricChart.MEMORY.of(none))).isEqualTo("used 5 B · limit –");
        assertThat(MetricChart.CPU.latest(MetricChart.CPU.of(none))).isEqualTo("used –");
    }

    @Test
    void requestsComeFromTheEdgesRecentRates() {
        var recent = new EdgeTraffic.Recent("acme", "web", 10, List.of(new EdgeTraffic.Point(T0, 0, 0),
                new EdgeTraffic.Point(T0.plusSeconds(10), 2.5, 0.1)));
        var data = MetricChart.requests(recent);
        assertThat(data.json()).isEqualTo("[[" + S0 + "," + (S0 + 10) + "],[0,2.5],[0,0.1]]");
        assertThat(MetricChart.REQUESTS.latest(data)).isEqualTo("requests 2.50/s · 5xx 0.10/s");
        assertThat(MetricChart.REQUESTS.fromSamples()).isFalse();
    }
}
