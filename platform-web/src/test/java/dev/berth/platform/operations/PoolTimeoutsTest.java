package dev.berth.platform.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The database is asked on a pool timeout, and at most once per recheck interval however many time out. */
class PoolTimeoutsTest {
    private static final Throwable POOL_TIMEOUT =
            new SQLTransientConnectionException("berth - Connection is not available, request timed out after 5000ms");

    private final MutableClock clock = new MutableClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private boolean answers = true;
    private int probes;
    private final PoolTimeouts timeouts = new PoolTimeouts(() -> {
        probes++;
        return answers;
    }, meters, clock);

    @Test
    void aFloodOfPoolTimeoutsAsksTheDatabaseOncePerRecheck() {
        for (int i = 0; i < 50; i++) assertThat(timeouts.overloaded(POOL_TIMEOUT)).isTrue();
        assertThat(probes).isEqualTo(1);
        answers = false;
        clock.advance(PoolTimeouts.RECHECK.minusSeconds(1));
        assertThat(timeouts.overloaded(POOL_TIMEOUT)).as("the last answer stands within the interval").isTrue();
        clock.advance(Duration.ofSeconds(2));
        assertThat(timeouts.overloaded(POOL_TIMEOUT)).as("asked again after it").isFalse();
        assertThat(probes).isEqualTo(2);
        assertThat(meters.get(PoolTimeouts.METER).tag("database", "answers").counter().count()).isEqualTo(51);
        assertThat(meters.get(PoolTimeouts.METER).tag("database", "unreachable").counter().count()).isEqualTo(1);
    }

    @Test
    void onlyAPoolTimeoutAsksTheDatabase() {
        assertThat(timeouts.overloaded(new SQLException("Connection refused", "08001"))).isFalse();
        assertThat(timeouts.overloaded(new IllegalStateException("a bug"))).isFalse();
        assertThat(probes).isZero();
    }
}
