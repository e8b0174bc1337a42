package dev.berth.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.MutableClock;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.audit.AuditStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A platform instance that went silent is taken out once, and its handover is audited once, by
 * whichever of two watching instances took its row: this context's own watch and a second one
 * made here, both judging the same database.
 */
class InstanceHandoverAuditTest extends PlatformTest {
    @Autowired
    JdbcClient jdbc;
    @Autowired
    InstanceStore store;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    ApplicationEventPublisher events;
    @Autowired
    InstanceWatch watch;
    @Autowired
    AuditStore audit;

    @Test
    void aSilentInstanceIsTakenOverAndAuditedOnce() throws Exception {
        String id = UUID.randomUUID().toString();
        String name = "silent-" + id.substring(0, 8) + ":8080";
        // Silent since long before any deployment of the shared database began, so no timeline is touched.
        jdbc.sql("INSERT INTO platform_instances (id, name, started_at, last_seen) VALUES (?, ?, ?::timestamptz, ?::timestamptz)")
                .params(id, name, "2001-01-01T00:00:00Z", "2001-01-01T00:00:05Z").update();

        var clock = new MutableClock();
        var other = new InstanceWatch(store, tx, events, ClusterInstance.random(), new InstanceName(18081), clock);
        other.check();
        clock.advance(InstanceWatch.SILENCE.plusSeconds(1));
        other.check();
        other.check();

        var deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (rowExists(id) && Instant.now().isBefore(deadline)) Thread.sleep(200);
        assertThat(rowExists(id)).as("the silent instance's row is taken out").isFalse();
        // The event follows the removal's commit on the thread that committed it; another round of both watches must add none.
        List<Map<String, Object>> audited = List.of();
        while (audited.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            audited = audited(name);
        }
        other.check();
        Thread.sleep(2 * InstanceWatch.CHECK_IN.toMillis());

        audited = audited(name);
        assertThat(audited).as("audited once").hasSize(1);
        var event = audited.getFirst();
        assertThat(event.get("actor_type")).isEqualTo("SYSTEM");
        assertThat((String) event.get("details")).contains(id).contains("2001-01-01T00:00:05Z").contains("takenOverBy")
                .contains("deployments");
    }

    /**
     * An instance that dies right after the removal committed, before anything after it ran (the
     * crash is the transaction's first after-commit step), leaves the event owed, not lost; the
     * next instance to check in appends it, once, and the chain still verifies.
     */
    @Test
    void anInstanceDyingAfterTheRemovalLeavesTheEventOwedAndTheNextInstanceAppendsItOnce() throws Exception {
        // This context's own watch would deliver the owed event on its next tick: it waits until the survivor has.
        watch.stop();
        try {
            var clock = new MutableClock();
            ApplicationEventPublisher dying = e -> {
                if (e instanceof InstanceStopped) {
                    TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            throw new InstanceDied();
                        }
                    });
                }
                events.publishEvent(e);
            };
            var doomedInstance = ClusterInstance.random();
            var doomed = new InstanceWatch(store, tx, dying, doomedInstance, new InstanceName(18082), clock);
            doomed.check();
            clock.advance(InstanceWatch.SILENCE.plusSeconds(1));

            String id = UUID.randomUUID().toString();
            String name = "silent-" + id.substring(0, 8) + ":8080";
            jdbc.sql("INSERT INTO platform_instances (id, name, started_at, last_seen) VALUES (?, ?, ?::timestamptz, ?::timestamptz)")
                    .params(id, name, "2001-01-01T00:00:00Z", "2001-01-01T00:00:05Z").update();
            assertThatThrownBy(doomed::check).isInstanceOf(InstanceDied.class);

            assertThat(rowExists(id)).as("the removal committed").isFalse();
            assertThat(audited(name)).as("not yet audited").isEmpty();
            assertThat(owed(name)).as("owed with the removal").isEqualTo(1);

            var survivorInstance = ClusterInstance.random();
            var survivor = new InstanceWatch(store, tx, events, survivorInstance, new InstanceName(18083), new MutableClock());
            survivor.check();
            assertThat(audited(name)).as("appended by the survivor's first check").hasSize(1);
            assertThat(owed(name)).isZero();
            survivor.check();
            assertThat(audited(name)).as("appended once").hasSize(1);
            assertThat((String) audited(name).getFirst().get("details")).contains(id).contains("2001-01-01T00:00:05Z");
            // Neither stays behind to be taken over (and audited) later.
            store.leave(doomedInstance.id());
            store.leave(survivorInstance.id());
        } finally {
            watch.start();
        }
        var verified = audit.verify();
        assertThat(verified.intact()).as(verified.toString()).isTrue();
    }

    /** Thrown where the instance would have died. */
    private static final class InstanceDied extends Error {
    }

    private long owed(String name) {
        return jdbc.sql("SELECT count(*) FROM audit_outbox WHERE action = 'platform.instance.taken-over' AND target = ?")
                .param("platform-instance:" + name).query(Long.class).single();
    }

    private boolean rowExists(String id) {
        return jdbc.sql("SELECT count(*) FROM platform_instances WHERE id = ?").param(id).query(Long.class).single() > 0;
    }

    private List<Map<String, Object>> audited(String name) {
        return jdbc.sql("SELECT actor_type, details FROM audit_events WHERE action = 'platform.instance.taken-over' AND target = ?")
                .param("platform-instance:" + name).query().listOfRows();
    }
}
