package dev.berth.platform.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When failing certificate orders are told to the host team. */
class CertificateAlarmTest {
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "none", value = {
            "'no failure yet', 0, none, false",
            "'a new host first failure: retried within a minute', 1, none, false",
            "'a new host second failure', 2, none, false",
            "'a new host third failure in a row', 3, none, true",
            "'the tenth', 10, none, true",
            "'a renewal first failure, a month before expiry', 1, 30, false",
            "'a renewal first failure, a week before expiry', 1, 7, true",
            "'a renewal first failure, two days before expiry', 1, 2, true",
            "'an expired certificate cannot be renewed', 1, -1, true",
            "'a renewal failing three times, a month before expiry', 3, 30, true"})
    void told(String name, int failures, Integer daysLeft, boolean expected) {
        Instant notAfter = daysLeft == null ? null : NOW.plus(Duration.ofDays(daysLeft));
        assertThat(CertificateAlarm.tell(failures, notAfter, NOW)).isEqualTo(expected);
    }
}
