package dev.berth.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.MutableClock;
import dev.berth.platform.PlatformTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
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

    private boolean rowExists(String id) {
        return jdbc.sql("SELECT count(*) FROM platform_instances WHERE id = ?").param(id).query(Long.class).single() > 0;
    }

    private List<Map<String, Object>> audited(String name) {
        return jdbc.sql("SELECT actor_type, details FROM audit_events WHERE action = 'platform.instance.taken-over' AND target = ?")
                .param("platform-instance:" + name).query().listOfRows();
    }
}
