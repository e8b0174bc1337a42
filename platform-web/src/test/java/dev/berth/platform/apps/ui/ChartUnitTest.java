package dev.berth.platform.apps.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChartUnitTest {
    @ParameterizedTest(name = "{0} {1} reads {2}")
    @CsvSource(delimiter = '|', value = {
            "CORES            | 0             | 0 cores",
            "CORES            | 0.000412345   | 0.000412 cores",
            "CORES            | 1.5           | 1.5 cores",
            "BYTES            | 512           | 512 B",
            "BYTES            | 1536          | 1.5 KiB",
            "BYTES            | 67108864      | 64.0 MiB",
            "BYTES            | 3221225472    | 3.0 GiB",
            "BYTES_PER_SECOND | 2048          | 2.0 KiB/s",
            "COUNT            | 3             | 3",
            "PER_SECOND       | 0.5           | 0.50/s"})
    void valuesReadAsAPersonWouldSayThem(ChartUnit unit, double value, String text) {
        assertThat(unit.format(value)).isEqualTo(text);
    }
}
