package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GenerationBoardTest {
    private final AtomicLong version = new AtomicLong();
    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger reads = new AtomicInteger();
    private final Map<String, Long> table = new HashMap<>(Map.of("a", 1L, "b", 1L));
    private final GenerationBoard board = new GenerationBoard(version::get, () -> {
        reads.incrementAndGet();
        return table;
    }, now::get, Duration.ofSeconds(3));

    @Test
    void pollsWokenByOneSignalShareOneReading() {
        for (int i = 0; i < 200; i++) assertThat(board.generation(i % 2 == 0 ? "a" : "b", 0)).isEqualTo(1L);
        assertThat(reads).hasValue(1);
    }

    @Test
    void aSignalAfterTheReadingMakesTheNextPollReadAgain() {
        board.generation("a", 0);
        table.put("a", 2L);
        version.incrementAndGet(); // the move's commit signalled
        assertThat(board.generation("a", version.get())).isEqualTo(2L);
        assertThat(board.generation("b", version.get())).isEqualTo(1L);
        assertThat(reads).hasValue(2);
    }

    @Test
    void aReadingOlderThanTheRecheckIsTakenAgainEvenWithoutASignal() {
        board.generation("a", 0);
        table.put("a", 5L); // moved on an instance whose notice was lost
        now.addAndGet(Duration.ofMillis(2999).toNanos());
        assertThat(board.generation("a", 0)).isEqualTo(1L);
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(board.generation("a", 0)).isEqualTo(5L);
    }

    @Test
    void aHostRegisteredAfterTheReadingIsAbsentFromIt() {
        board.generation("a", 0);
        table.put("c", 1L);
        assertThat(board.generation("c", 0)).isNull(); // the caller asks the database for that host alone
    }
}
