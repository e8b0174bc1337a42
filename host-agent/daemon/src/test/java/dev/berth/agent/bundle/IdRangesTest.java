package dev.berth.agent.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdRangesTest {
    /** taken: host starts separated by spaces, in blocks of 65536 ids. */
    @ParameterizedTest(name = "taken [{0}] → {1}")
    @CsvSource({
            "'', 65536",
            "'65536', 131072",
            "'65536 131072', 196608",
            "'131072', 65536",
            "'65536 196608', 131072",
            "'70000', 196608"})
    void theLowestFreeBlockAtOrAboveTheFirstIsHandedOut(String taken, long expected) {
        List<IdRange> ranges = taken.isBlank() ? List.of()
                : Arrays.stream(taken.split(" ")).map(s -> new IdRange(Long.parseLong(s), IdRange.SIZE)).toList();
        var next = IdRanges.nextFree(ranges).orElseThrow();
        assertThat(next.hostStart()).isEqualTo(expected);
        assertThat(ranges).noneMatch(next::overlaps);
    }

    @org.junit.jupiter.api.Test
    void hostIdsBelowTheFirstBlockCannotBeARange() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new IdRange(0, IdRange.SIZE))
                .hasMessageContaining("start at 65536 or above");
    }
}
