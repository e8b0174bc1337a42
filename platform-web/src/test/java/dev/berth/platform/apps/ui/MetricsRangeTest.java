package dev.berth.platform.apps.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.metrics.MetricsQuery;
import dev.berth.platform.metrics.Resolution;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricsRangeTest {
    private static final Instant NOW = Instant.parse("2026-12-06T10:17:43.250Z");

    @ParameterizedTest(name = "{0}: {2} points of {1} s from {3} samples")
    @CsvSource({
            "HOUR,      10,   360, RAW",
            "SIX_HOURS, 60,   360, MINUTE",
            "DAY,       120,  720, MINUTE",
            "WEEK,      1200, 504, TEN_MINUTES"})
    void eachRangeIsOneQueryTheServiceTakesOnTheStepItsStoreKeeps(MetricsRange range, long step, int points, Resolution resolution) {
        MetricsQuery query = range.query(NOW);
        assertThat(query.step()).isEqualTo(Duration.ofSeconds(step));
        assertThat(query.count()).isEqualTo(points).isLessThanOrEqualTo(MetricsQuery.MAX_POINTS);
        assertThat(query.to()).isAfterOrEqualTo(NOW);
        assertThat(Resolution.forQuery(query.from(), query.step(), NOW)).isEqualTo(resolution);
        // The service reads its clock a moment later: the window still starts within the history kept.
        var later = NOW.plusSeconds(5);
        assertThat(MetricsQuery.parse(range.from(NOW).toString(), null, range.stepText(), later).count()).isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "HOUR      | No samples yet — agents send one every 10 s while a replica runs.",
            "SIX_HOURS | No samples in 1-minute buckets yet — agents send one every 10 s while a replica runs, and each 1-minute"
                    + " bucket is filled a little after it ends; the 1 h range shows the newest samples first.",
            "WEEK      | No samples in 10-minute buckets yet — agents send one every 10 s while a replica runs, and each 10-minute"
                    + " bucket is filled a little after it ends; the 1 h range shows the newest samples first."})
    void anEmptyRangeSaysWhereTheNewestSamplesAre(MetricsRange range, String text) {
        assertThat(range.emptyText()).isEqualTo(text);
    }
}
