package dev.berth.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The cgroup files as the kernel writes them, v1 and v2. */
class CgroupFilesTest {

    static Stream<Arguments> limits() {
        return Stream.of(
                Arguments.of("v2 no limit", "max\n", OptionalLong.empty()),
                Arguments.of("v2 64 MiB", "67108864\n", OptionalLong.of(67108864)),
                Arguments.of("v1 no limit", "9223372036854771712\n", OptionalLong.empty()),
                Arguments.of("v1 64 MiB", "67108864\n", OptionalLong.of(67108864)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limits")
    void limits(String name, String text, OptionalLong limit) {
        assertThat(CgroupFiles.limit(text)).isEqualTo(limit);
    }

    @Test
    void cpuOfV2IsInMicrosecondsAndReadInNanoseconds() {
        assertThat(CgroupFiles.cpuNanosV2("usage_usec 1520311\nuser_usec 1000000\nsystem_usec 520311\nnr_periods 0\n"))
                .isEqualTo(1_520_311_000L);
        assertThatThrownBy(() -> CgroupFiles.cpuNanosV2("user_usec 1\n")).hasMessageContaining("no usage_usec");
    }

    @Test
    void keyedFilesMatchWholeKeysOnly() {
        String stat = "cache 4096\ninactive_file 8192\ntotal_inactive_file 12288\n";
        assertThat(CgroupFiles.key(stat, "inactive_file")).hasValue(8192);
        assertThat(CgroupFiles.key(stat, "total_inactive_file")).hasValue(12288);
        assertThat(CgroupFiles.key(stat, "active_file")).isEmpty();
    }

    static Stream<Arguments> workingSets() {
        return Stream.of(
                Arguments.of("v1 takes total_inactive_file", 100_000L, "inactive_file 1\ntotal_inactive_file 30000\n", false, 70_000L),
                Arguments.of("v2 takes inactive_file", 100_000L, "inactive_file 40000\n", true, 60_000L),
                Arguments.of("nothing to take", 100_000L, "", true, 100_000L),
                Arguments.of("never below zero", 100L, "inactive_file 400\n", true, 0L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workingSets")
    void workingSet(String name, long usage, String stat, boolean v2, long expected) {
        assertThat(CgroupFiles.workingSet(usage, stat, v2)).isEqualTo(expected);
    }

    @Test
    void numbersAreNonNegative() {
        assertThat(CgroupFiles.number(" 42\n")).isEqualTo(42);
        assertThatThrownBy(() -> CgroupFiles.number("-1")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> CgroupFiles.number("")).isInstanceOf(NumberFormatException.class);
    }
}
