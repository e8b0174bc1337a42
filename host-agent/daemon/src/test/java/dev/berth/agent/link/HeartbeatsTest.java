package dev.berth.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeartbeatsTest {
    /** A change after a quiet spell goes out at once; one right after a heartbeat waits for the rest of the window. */
    @ParameterizedTest(name = "last heartbeat {0} ms ago → held {1} ms")
    @CsvSource({"0, 50", "1, 49", "30, 20", "49, 1", "50, 0", "51, 0", "1000, 0", "60000, 0"})
    void aChangeWaitsOnlyForTheRestOfTheWindow(long sinceLast, long held) {
        assertThat(Heartbeats.holdMillis(sinceLast)).isEqualTo(held);
    }
}
