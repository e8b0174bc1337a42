package dev.berth.platform.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Audit events owed to the chain, for a change whose transaction the chain cannot join ({@link
 * AuditLog} appends on connections of its own). {@link #add} writes the event into {@code
 * audit_outbox} inside the change's transaction, so it exists exactly when the change committed;
 * {@link #deliver} moves owed events into the chain.
 * <p>
 * Exactly once: delivery deletes the outbox rows and appends their events in one transaction
 * ({@link AuditStore#appendClaimed}), so a delivery that dies before its commit leaves both the rows
 * and the chain as they were, and one that committed left no row to deliver again. Deliverers in
 * several platform instances at once claim rows with {@code FOR UPDATE SKIP LOCKED}: a row being
 * delivered is passed over, and one already delivered is gone. No idempotency key is needed.
 * <p>
 * Nothing delivers on its own: a writer delivers after its commit and again on a tick of its own
 * (for {@code platform.instance.taken-over}, every check of the instance watch), so whichever
 * instance runs next delivers what a dead one owed.
 */
@Component
public class AuditOutbox {
    /** Rows per delivering transaction: a backlog is drained in several short ones. */
    private static final int BATCH = 100;
    private static final String CLAIM = "DELETE FROM audit_outbox WHERE id IN (SELECT id FROM audit_outbox ORDER BY id LIMIT "
            + BATCH + " FOR UPDATE SKIP LOCKED) RETURNING id, occurred_at, actor_type, actor, action, target, team,"
            + " source_address, user_agent, outcome, details";

    private final JdbcClient jdbc;
    private final AuditStore store;
    private final Clock clock;

    public AuditOutbox(JdbcClient jdbc, AuditStore store, Clock clock) {
        this.jdbc = jdbc;
        this.store = store;
        this.clock = clock;
    }

    /** Stamps the event with the current time and owes it to the chain, in the caller's transaction. */
    public void add(AuditEvent.Builder event) {
        var e = event.at(clock.instant());
        jdbc.sql("""
                INSERT INTO audit_outbox (occurred_at, actor_type, actor, action, target, team, source_address, user_agent,
                    outcome, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(Timestamp.from(e.time()), e.actor().type().name(), e.actor().name(), e.action(), e.target(), e.team(),
                        e.sourceAddress(), e.userAgent(), e.outcome().name(), AuditStore.detailsJson(e.details()))
                .update();
    }

    /**
     * Appends every owed event not being delivered elsewhere, oldest first, and returns how many;
     * call it outside any transaction of the caller's. Throws {@link AuditUnavailableException} when
     * the database fails; what was not delivered stays owed.
     */
    public int deliver() {
        int delivered = 0;
        try {
            for (int n; (n = store.appendClaimed(AuditOutbox::claim).size()) > 0; ) delivered += n;
            return delivered;
        } catch (SQLException e) {
            throw new AuditUnavailableException("owed audit events could not be appended (" + delivered + " were): "
                    + e.getMessage());
        }
    }

    /** Deletes up to a batch of rows no other deliverer holds and returns their events, in the order they were owed. */
    private static List<AuditEvent> claim(Connection c) throws SQLException {
        record Owed(long id, AuditEvent event) {
        }
        var owed = new ArrayList<Owed>();
        try (var st = c.prepareStatement(CLAIM); var rs = st.executeQuery()) {
            while (rs.next()) owed.add(new Owed(rs.getLong("id"), AuditStore.event(rs)));
        }
        // RETURNING keeps no order.
        owed.sort(Comparator.comparingLong(Owed::id));
        return owed.stream().map(Owed::event).toList();
    }
}
