package dev.berth.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.PlatformTest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Events owed in a transaction reach the chain once it committed, exactly once however many instances deliver. */
class AuditOutboxTest extends PlatformTest {
    @Autowired
    AuditOutbox outbox;
    @Autowired
    AuditStore store;
    @Autowired
    AuditKey key;
    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    Clock clock;

    @Test
    void anEventOwedInATransactionThatRolledBackIsNeverAppended() {
        String target = "rolled-back-" + System.nanoTime();
        tx.executeWithoutResult(s -> {
            outbox.add(AuditEvent.of(AuditEvent.Actor.system(), "test.outbox", target));
            s.setRollbackOnly();
        });
        outbox.deliver();
        assertThat(appended(target + "%")).isEmpty();
        assertThat(owed(target + "%")).isZero();
    }

    @Test
    void twoInstancesDeliveringAtOnceAppendEveryOwedEventOnceInOneChain() throws Exception {
        String run = "owed-" + System.nanoTime() + "-";
        var expected = new ArrayList<String>();
        tx.executeWithoutResult(s -> {
            for (int i = 0; i < 450; i++) {
                expected.add(run + i);
                outbox.add(AuditEvent.of(AuditEvent.Actor.system(), "test.outbox", run + i).detail("i", i));
            }
        });
        // A second platform instance: its own store (head, checkpoint) on the same database.
        try (var otherStore = new AuditStore(dataSource, key)) {
            var other = new AuditOutbox(jdbc, otherStore, clock);
            var deliverers = new ArrayList<Callable<Integer>>();
            for (var o : List.of(outbox, other, outbox, other)) deliverers.add(o::deliver);
            int delivered = 0;
            try (var pool = Executors.newFixedThreadPool(deliverers.size())) {
                for (Future<Integer> f : pool.invokeAll(deliverers)) delivered += f.get();
            }
            assertThat(delivered).as("told delivered by the four").isGreaterThanOrEqualTo(expected.size());
        }
        assertThat(appended(run + "%")).as("each appended once").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(owed(run + "%")).isZero();
        var result = store.verify();
        assertThat(result.intact()).as(result.toString()).isTrue();
    }

    private List<String> appended(String like) {
        return jdbc.sql("SELECT target FROM audit_events WHERE action = 'test.outbox' AND target LIKE ?").param(like)
                .query(String.class).list();
    }

    private long owed(String like) {
        return jdbc.sql("SELECT count(*) FROM audit_outbox WHERE target LIKE ?").param(like).query(Long.class).single();
    }
}
