package dev.berth.platform.apps;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** What the agents' firewalls refused each container, per host and container, in PostgreSQL. */
@Repository
class RefusalStore {
    private final JdbcClient jdbc;

    RefusalStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One refused destination of one container, as its host reported it last. */
    record Row(String agentApp, String container, String destination, String protocol, int port, long count,
               Instant lastSeen) {
    }

    /** One destination of an app, summed over its containers and hosts. */
    record Total(String destination, String protocol, int port, long count, Instant lastSeen) {
    }

    /** The rows the host reported before for these containers. */
    List<Row> of(String hostId, Collection<String> containers) {
        if (containers.isEmpty()) return List.of();
        return jdbc.sql("SELECT * FROM app_refusals WHERE host_id = ? AND container = ANY (?)")
                .params(hostId, containers.toArray(String[]::new)).query(RefusalStore::row).list();
    }

    /** Replaces what the host reported for {@code containers} by {@code rows}. */
    void replace(String hostId, Collection<String> containers, List<Row> rows) {
        jdbc.sql("DELETE FROM app_refusals WHERE host_id = ? AND container = ANY (?)")
                .params(hostId, containers.toArray(String[]::new)).update();
        for (var r : rows) {
            jdbc.sql("""
                    INSERT INTO app_refusals (agent_app, host_id, container, destination, protocol, port, count, last_seen)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(r.agentApp(), hostId, r.container(), r.destination(), r.protocol(), r.port(), r.count(),
                            Timestamp.from(r.lastSeen()))
                    .update();
        }
    }

    /** Keeps the app's {@code max} most recently seen rows, across hosts and containers. */
    void trim(String agentApp, int max) {
        jdbc.sql("""
                DELETE FROM app_refusals WHERE agent_app = ? AND (host_id, container, destination, protocol, port) IN (
                    SELECT host_id, container, destination, protocol, port FROM app_refusals WHERE agent_app = ?
                    ORDER BY last_seen DESC, host_id, container, destination, protocol, port OFFSET ?)""")
                .params(agentApp, agentApp, max).update();
    }

    /** The app's refused destinations, the most recently seen first. */
    List<Total> totals(String agentApp, int limit) {
        return jdbc.sql("""
                SELECT destination, protocol, port, SUM(count) AS count, MAX(last_seen) AS last_seen FROM app_refusals
                WHERE agent_app = ? GROUP BY destination, protocol, port
                ORDER BY MAX(last_seen) DESC, SUM(count) DESC, destination, protocol, port LIMIT ?""")
                .params(agentApp, limit)
                .query((rs, n) -> new Total(rs.getString("destination"), rs.getString("protocol"), rs.getInt("port"),
                        rs.getLong("count"), rs.getTimestamp("last_seen").toInstant()))
                .list();
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getString("agent_app"), rs.getString("container"), rs.getString("destination"),
                rs.getString("protocol"), rs.getInt("port"), rs.getLong("count"), rs.getTimestamp("last_seen").toInstant());
    }
}
