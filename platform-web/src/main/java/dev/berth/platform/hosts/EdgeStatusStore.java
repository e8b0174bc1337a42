package dev.berth.platform.hosts;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What edge hosts report of their proxy, kept on their host rows. */
@Component
class EdgeStatusStore {
    private final JdbcClient jdbc;

    EdgeStatusStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Keeps what the host's edge reports; a null {@code address} says it is no edge (any more).
     *
     * @return whether the host became an edge, stopped being one, or moved its address
     */
    boolean record(String hostId, String address, long appliedGeneration, String error, Instant now) {
        // The old address is read in the same statement, so two heartbeats cannot both miss the change.
        return Boolean.TRUE.equals(jdbc.sql("""
                        UPDATE hosts h SET edge_address = ?, edge_applied_generation = ?, edge_error = ?, edge_reported_at = ?
                        FROM (SELECT id, edge_address AS before FROM hosts WHERE id = ? FOR UPDATE) old
                        WHERE h.id = old.id
                        RETURNING old.before IS DISTINCT FROM h.edge_address""")
                .params(address, address == null ? null : appliedGeneration, address == null ? null : error,
                        address == null ? null : Timestamp.from(now), hostId)
                .query(Boolean.class).optional().orElse(false));
    }

    /** Every host that is an edge now: not removed, reporting an edge address; lost ones included, marked. */
    List<HostRecords.Edge> edges() {
        return jdbc.sql("""
                        SELECT id, edge_address, edge_applied_generation, edge_error, edge_reported_at, generation, lost_at
                        FROM hosts WHERE edge_address IS NOT NULL AND removed_at IS NULL ORDER BY id""")
                .query((rs, n) -> new HostRecords.Edge(rs.getString("id"), rs.getString("edge_address"),
                        rs.getLong("edge_applied_generation"), rs.getString("edge_error"),
                        rs.getTimestamp("edge_reported_at").toInstant(), rs.getLong("generation"),
                        rs.getTimestamp("lost_at") != null))
                .list();
    }
}
