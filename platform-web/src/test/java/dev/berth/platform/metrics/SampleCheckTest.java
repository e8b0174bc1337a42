package dev.berth.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.ContainerMetrics;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Samples the platform stores, and those it drops naming the value. */
class SampleCheckTest {
    static Stream<Arguments> samples() {
        return Stream.of(
                Arguments.of(new ContainerMetrics(1, 2, 3L, 4, 5, 6), null),
                Arguments.of(new ContainerMetrics(0, 0, null, 0, 0, 0), null),
                Arguments.of(new ContainerMetrics(-1, 2, 3L, 4, 5, 6), "cpuNanos -1 is out of range"),
                Arguments.of(new ContainerMetrics(1, -2, 3L, 4, 5, 6), "memoryBytes -2 is out of range"),
                Arguments.of(new ContainerMetrics(1, 1L << 51, 3L, 4, 5, 6), "memoryBytes 2251799813685248 is out of range"),
                Arguments.of(new ContainerMetrics(1, 2, -3L, 4, 5, 6), "memoryLimitBytes -3 is out of range"),
                Arguments.of(new ContainerMetrics(1, 2, 3L, -4, 5, 6), "pids -4 is out of range"),
                Arguments.of(new ContainerMetrics(1, 2, 3L, 1L << 23, 5, 6), "pids 8388608 is out of range"),
                Arguments.of(new ContainerMetrics(1, 2, 3L, 4, -5, 6), "rxBytes -5 is out of range"),
                Arguments.of(new ContainerMetrics(1, 2, 3L, 4, 5, Long.MAX_VALUE), "txBytes 9223372036854775807 is out of range"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("samples")
    void checks(ContainerMetrics sample, String refusal) {
        assertThat(SampleCheck.refusal(sample)).isEqualTo(refusal);
    }
}
