package dev.berth.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.MutableClock;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.SimpleTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/** When an instance judges the others: only after its own check-ins have run clean for the silence it judges by. */
class InstanceWatchTest {
    private static final Instant T0 = Instant.parse("2026-12-06T01:00:00Z");
    private static final Instant LAST_SEEN = T0.minusSeconds(60);

    /** A store whose database is away or not, and which has one silent instance to hand out. */
    private static final class FakeStore extends InstanceStore {
        boolean away;
        int checkIns;
        int judged;

        FakeStore() {
            super(null);
        }

        @Override
        void checkIn(String id, String name) {
            if (away) throw new org.springframework.dao.DataAccessResourceFailureException("database away");
            checkIns++;
        }

        @Override
        List<Stale> takeStale(String self, Duration silence) {
            judged++;
            return judged == 1 ? List.of(new Stale("dead", "web-1:8080", Timestamp.from(LAST_SEEN))) : List.of();
        }
    }

    private static final PlatformTransactionManager NO_TRANSACTION = new PlatformTransactionManager() {
        @Override
        public TransactionStatus getTransaction(TransactionDefinition definition) {
            return new SimpleTransactionStatus();
        }

        @Override
        public void commit(TransactionStatus status) {
        }

        @Override
        public void rollback(TransactionStatus status) {
        }
    };

    private final MutableClock clock = new MutableClock();
    private final Instant t0 = clock.instant();
    private final FakeStore store = new FakeStore();
    private final List<Object> events = new ArrayList<>();
    private final InstanceWatch watch = new InstanceWatch(store, new TransactionTemplate(NO_TRANSACTION), events::add,
            new ClusterInstance("self"), new InstanceName(8081), clock);

    /**
     * One check, {@code seconds} after the first; the clock follows real time besides, so the table
     * keeps a second away from the 12 s boundary.
     */
    private void checkAt(int seconds) {
        clock.advance(Duration.between(clock.instant(), t0.plusSeconds(seconds)));
        watch.check();
    }

    @Test
    void othersAreJudgedOnlyAfterTwelveCleanSecondsAndEachStoppedOneIsToldOnce() {
        checkAt(0);
        checkAt(10);
        assertThat(store.judged).as("judged before its own record is clean for 12 s").isZero();
        checkAt(13);
        assertThat(store.judged).isEqualTo(1);
        assertThat(stopped()).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo("dead");
            assertThat(e.name()).isEqualTo("web-1:8080");
            assertThat(e.lastSeen()).isEqualTo(LAST_SEEN);
            assertThat(e.noticedBy()).endsWith(":8081");
        });
        checkAt(15);
        assertThat(stopped()).as("taken out once").hasSize(1);
        assertThat(events).as("a tick after every check that reached the database").filteredOn(InstanceCheckedIn.class::isInstance)
                .hasSize(4);
    }

    private List<InstanceStopped> stopped() {
        return events.stream().filter(InstanceStopped.class::isInstance).map(InstanceStopped.class::cast).toList();
    }

    @Test
    void afterADatabaseOutageEveryRowIsOldAndNobodyIsJudgedUntilTheRecordIsCleanAgain() {
        checkAt(0);
        store.away = true;
        checkAt(2);
        checkAt(60);
        store.away = false;
        checkAt(62);
        checkAt(72);
        assertThat(store.judged).as("judged within 12 s of the database's return").isZero();
        checkAt(75);
        assertThat(store.judged).isEqualTo(1);
        assertThat(events).as("no tick while the database was away").filteredOn(InstanceCheckedIn.class::isInstance).hasSize(4);
    }
}
