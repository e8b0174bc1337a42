package dev.berth.platform.operations;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Tells a pool that timed out because every connection was busy from one that timed out because the
 * database is away: Hikari's timeout says which only while its last try to connect failed, so on a
 * pool timeout the database is asked directly, on the probe's own short-timeout connection, at most
 * once per {@link #RECHECK} (a flood of timed-out requests costs one probe, not one each). Counts the
 * pool timeouts answered, by what the database did ({@code berth_database_pool_timeouts_total}).
 */
@Component
public class PoolTimeouts {
    static final String METER = "berth.database.pool.timeouts";
    /** How long one answer of the database stands for all pool timeouts. */
    static final Duration RECHECK = Duration.ofSeconds(3);

    /** Whether the database answers a query now. */
    @FunctionalInterface
    interface DatabaseCheck {
        boolean answers();
    }

    private final DatabaseCheck check;
    private final Clock clock;
    private final Counter overloaded;
    private final Counter unreachable;
    private Instant checkedAt;
    private boolean answered;

    @Autowired
    public PoolTimeouts(DatabaseProbe probe, MeterRegistry meters, Clock clock) {
        this(probe::answers, meters, clock);
    }

    PoolTimeouts(DatabaseCheck check, MeterRegistry meters, Clock clock) {
        this.check = check;
        this.clock = clock;
        this.overloaded = counter(meters, "answers");
        this.unreachable = counter(meters, "unreachable");
    }

    /**
     * True when {@code failure} is a pool timeout while the database answers: the platform is
     * overloaded, not cut off, and says {@link DatabaseOutage#overloaded}. False for anything else,
     * a pool timeout with the database away included (that is an outage).
     */
    public boolean overloaded(Throwable failure) {
        if (DatabaseOutage.kind(failure) != DatabaseOutage.Kind.POOL_TIMEOUT) return false;
        boolean answers = databaseAnswers();
        (answers ? overloaded : unreachable).increment();
        return answers;
    }

    private synchronized boolean databaseAnswers() {
        Instant now = clock.instant();
        if (checkedAt == null || !now.isBefore(checkedAt.plus(RECHECK))) {
            answered = check.answers();
            checkedAt = clock.instant();
        }
        return answered;
    }

    private static Counter counter(MeterRegistry meters, String database) {
        return Counter.builder(METER).description("Requests that timed out waiting for a database connection, by whether the"
                + " database answered then (answers: the platform was overloaded)").tag("database", database).register(meters);
    }
}
