package dev.berth.platform.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** JDBC edge of the audit log: appends chained batches, reads rows back for queries and verify. */
@Repository
public class AuditStore {
    static final String COLUMNS = "seq, occurred_at, actor_type, actor, action, target, team, source_address, "
            + "user_agent, outcome, details, prev_hash, hash";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<TreeMap<String, String>> DETAILS = new TypeReference<>() {
    };

    private final DataSource dataSource;

    public AuditStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Appends events after the current head in one transaction. The head row is locked for the
     * duration, so concurrent appenders (even from several platform instances) form one chain.
     */
    public List<ChainedEvent> append(List<AuditEvent> events) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long headSeq;
                ChainHash headHash;
                try (var st = c.prepareStatement("SELECT seq, hash FROM audit_head FOR UPDATE");
                     var rs = st.executeQuery()) {
                    rs.next();
                    headSeq = rs.getLong(1);
                    headHash = new ChainHash(rs.getBytes(2));
                }
                List<ChainedEvent> linked = AuditChain.link(headSeq, headHash, events);
                try (var st = c.prepareStatement("INSERT INTO audit_events (" + COLUMNS
                        + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                    for (ChainedEvent row : linked) {
                        bind(st, row);
                        st.addBatch();
                    }
                    st.executeBatch();
                }
                ChainedEvent last = linked.getLast();
                try (var st = c.prepareStatement("UPDATE audit_head SET seq = ?, hash = ?")) {
                    st.setLong(1, last.seq());
                    st.setBytes(2, last.hash().bytes());
                    st.executeUpdate();
                }
                c.commit();
                return linked;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static void bind(PreparedStatement st, ChainedEvent row) throws SQLException {
        AuditEvent e = row.event();
        st.setLong(1, row.seq());
        st.setTimestamp(2, Timestamp.from(e.time()));
        st.setString(3, e.actor().type().name());
        st.setString(4, e.actor().name());
        st.setString(5, e.action());
        st.setString(6, e.target());
        st.setString(7, e.team());
        st.setString(8, e.sourceAddress());
        st.setString(9, e.userAgent());
        st.setString(10, e.outcome().name());
        st.setString(11, detailsJson(e.details()));
        st.setBytes(12, row.prevHash().bytes());
        st.setBytes(13, row.hash().bytes());
    }

    static String detailsJson(SortedMap<String, String> details) {
        return JSON.writeValueAsString(details);
    }

    static ChainedEvent read(ResultSet rs) throws SQLException {
        var event = new AuditEvent(
                rs.getTimestamp("occurred_at").toInstant(),
                new AuditEvent.Actor(AuditEvent.ActorType.valueOf(rs.getString("actor_type")), rs.getString("actor")),
                rs.getString("action"),
                rs.getString("target"),
                rs.getString("team"),
                rs.getString("source_address"),
                rs.getString("user_agent"),
                AuditEvent.Outcome.valueOf(rs.getString("outcome")),
                parseDetails(rs.getString("details")));
        return new ChainedEvent(rs.getLong("seq"), event,
                new ChainHash(rs.getBytes("prev_hash")), new ChainHash(rs.getBytes("hash")));
    }

    private static SortedMap<String, String> parseDetails(String json) {
        try {
            return JSON.readValue(json, DETAILS);
        } catch (RuntimeException unreadable) {
            // A row edited into invalid JSON must still be walked (and then fail its hash).
            var raw = new TreeMap<String, String>();
            raw.put("<unreadable>", json);
            return raw;
        }
    }

    /** Walks the whole chain in one consistent snapshot. */
    public AuditChain.VerifyResult verify() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                long headSeq;
                ChainHash headHash;
                try (var st = c.prepareStatement("SELECT seq, hash FROM audit_head"); var rs = st.executeQuery()) {
                    rs.next();
                    headSeq = rs.getLong(1);
                    headHash = new ChainHash(rs.getBytes(2));
                }
                var walk = new AuditChain.Walk();
                try (var st = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_events ORDER BY seq")) {
                    st.setFetchSize(1000);
                    try (var rs = st.executeQuery()) {
                        while (rs.next() && walk.accept(read(rs))) {
                            // keep walking until the first broken link
                        }
                    }
                }
                return walk.finish(headSeq, headHash);
            } finally {
                c.rollback();
            }
        }
    }

    /** One page of matching rows, newest first. */
    public List<ChainedEvent> page(AuditQuery query, long offset, int limit) throws SQLException {
        var rows = new ArrayList<ChainedEvent>();
        var where = query.toSql();
        try (Connection c = dataSource.getConnection();
             var st = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_events" + where.clause()
                     + " ORDER BY seq DESC OFFSET ? LIMIT ?")) {
            int i = where.bind(st);
            st.setLong(i++, offset);
            st.setInt(i, limit);
            try (var rs = st.executeQuery()) {
                while (rs.next()) rows.add(read(rs));
            }
        }
        return rows;
    }

    public long count(AuditQuery query) throws SQLException {
        var where = query.toSql();
        try (Connection c = dataSource.getConnection();
             var st = c.prepareStatement("SELECT count(*) FROM audit_events" + where.clause())) {
            where.bind(st);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Streams every matching row, oldest first, without holding them all in memory. */
    public void forEach(AuditQuery query, Consumer<ChainedEvent> sink) throws SQLException {
        var where = query.toSql();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (var st = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_events" + where.clause()
                    + " ORDER BY seq")) {
                st.setFetchSize(1000);
                where.bind(st);
                try (var rs = st.executeQuery()) {
                    while (rs.next()) sink.accept(read(rs));
                }
            } finally {
                c.rollback();
            }
        }
    }
}
