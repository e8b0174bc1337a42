package dev.berth.backoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {

    @ParameterizedTest(name = "first {0} ms, cap {1} ms, {2} failures: {3} ms")
    @CsvSource({
            // first, cap,    failures, delay
            "1000,    30000,  -1,       1000",
            "1000,    30000,  0,        1000",
            "1000,    30000,  1,        1000",
            "1000,    30000,  2,        2000",
            "1000,    30000,  5,        16000",
            "1000,    30000,  6,        30000",
            "1000,    30000,  2147483647, 30000",
            "250,     5000,   3,        1000",
            "250,     5000,   6,        5000",
            "300000,  60000,  1,        60000",
            "0,       60000,  2147483647, 0",
            "1,       9223372036854775807, 80, 9223372036854775807",
    })
    void doublesUpToTheCap(long first, long cap, int failures, long expected) {
        assertThat(new Backoff(Duration.ofMillis(first), Duration.ofMillis(cap)).delay(failures))
                .isEqualTo(Duration.ofMillis(expected));
    }

    @ParameterizedTest(name = "jitter {0}, random {1}: {2} ms")
    @CsvSource({
            // jitter, random, delay of a 4 s wait
            "0,        0.99,   4000",
            "0.5,      0,      4000",
            "0.5,      0.5,    3000",
            "0.5,      0.999,  2002",
            "1,        0.25,   3000",
    })
    void jitterTakesARandomShareOff(double jitter, double random, long expected) {
        var backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)).withJitter(jitter);
        assertThat(backoff.delay(3, () -> random)).isEqualTo(Duration.ofMillis(expected));
        assertThat(backoff.delay(3)).as("without a random source, no jitter").isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(-1), Duration.ofSeconds(1)))
                .hasMessage("backoff durations must not be negative");
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ZERO, 1.5))
                .hasMessage("jitter must be between 0 and 1, was 1.5");
    }
}
