package dev.berth.platform.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchedulerCheckInTest {
    @ParameterizedTest(name = "checked in {0} ms ago every {1} ms: fresh {2}")
    @CsvSource({
            "0, 2000, true",
            "9000, 2000, true",
            "10000, 2000, true",
            "10001, 2000, false",
            "30000, 10000, true",
            "40000, 10000, true",
            "40001, 10000, false",
            "-500, 2000, true"})
    void aCheckInIsFreshWithinFourIntervalsAndAtLeastTenSeconds(long ageMillis, long intervalMillis, boolean fresh) {
        assertThat(SchedulerHealth.CheckIn.fresh(Duration.ofMillis(ageMillis), Duration.ofMillis(intervalMillis))).isEqualTo(fresh);
    }
}
