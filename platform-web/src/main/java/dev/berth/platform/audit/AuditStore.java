package dev.berth.platform.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
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
    private final AuditKey key;

    /** A store that links new events under {@code key} and verifies with it. */
    public AuditStore(DataSource dataSource, AuditKey key) {
        this.dataSource = dataSource;
        this.key = key;
    }

    /** The newest link as last seen by this process; null until read. */
    private record Head(long seq, ChainHash hash) {
    }

    private Head head;
    /** The newest event this process appended; the database cannot make it forget it. */
    private volatile long appendedHere;

    /**
     * Appends events after the current head. One statement moves the head and inserts the rows,
     * and it only inserts if the head was where this process last saw it; otherwise another
     * appender (a second platform instance) got there first, and the batch is re-linked after the
     * new head. The head row's lock serialises the statements, so the chain never forks.
     */
    public synchronized List<ChainedEvent> append(List<AuditEvent> events) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            if (head == null) head = readHead();
            List<ChainedEvent> linked = AuditChain.link(head.seq(), head.hash(), events, key);
            if (appendAfter(head, linked)) {
                ChainedEvent last = linked.getLast();
                head = new Head(last.seq(), last.hash());
                appendedHere = last.seq();
                return linked;
            }
            head = null;
            if (attempt == 20) throw new SQLException("the audit head kept moving; gave up after " + attempt + " tries");
        }
    }

    private Head readHead() throws SQLException {
        try (Connection c = dataSource.getConnection();
             var st = c.prepareStatement("SELECT seq, hash FROM audit_head");
             var rs = st.executeQuery()) {
            rs.next();
            return new Head(rs.getLong(1), new ChainHash(rs.getBytes(2)));
        }
    }

    private static final String ROW = "(?::bigint, ?::timestamptz, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::bytea, ?::bytea)";

    private boolean appendAfter(Head expected, List<ChainedEvent> linked) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return appendAfter(c, expected.seq(), expected.hash(), linked);
        }
    }

    /** The statement of {@link #append}, on a connection the caller holds (and may hold a transaction on). */
    static boolean appendAfter(Connection c, long expectedSeq, ChainHash expectedHash, List<ChainedEvent> linked)
            throws SQLException {
        String sql = "WITH moved AS (UPDATE audit_head SET seq = ?, hash = ? WHERE id AND seq = ? AND hash = ? RETURNING 1) "
                + "INSERT INTO audit_events (" + COLUMNS + ") SELECT * FROM (VALUES "
                + String.join(", ", Collections.nCopies(linked.size(), ROW))
                + ") AS v WHERE EXISTS (SELECT 1 FROM moved)";
        try (var st = c.prepareStatement(sql)) {
            ChainedEvent last = linked.getLast();
            st.setLong(1, last.seq());
            st.setBytes(2, last.hash().bytes());
            st.setLong(3, expectedSeq);
            st.setBytes(4, expectedHash.bytes());
            int i = 5;
            for (ChainedEvent row : linked) i = bind(st, i, row);
            return st.executeUpdate() == linked.size();
        }
    }

    /** Binds one row's 13 columns from parameter {@code i}; returns the next free index. */
    private static int bind(PreparedStatement st, int i, ChainedEvent row) throws SQLException {
        AuditEvent e = row.event();
        st.setLong(i++, row.seq());
        st.setTimestamp(i++, Timestamp.from(e.time()));
        st.setString(i++, e.actor().type().name());
        st.setString(i++, e.actor().name());
        st.setString(i++, e.action());
        st.setString(i++, e.target());
        st.setString(i++, e.team());
        st.setString(i++, e.sourceAddress());
        st.setString(i++, e.userAgent());
        st.setString(i++, e.outcome().name());
        st.setString(i++, detailsJson(e.details()));
        st.setBytes(i++, row.prevHash().bytes());
        st.setBytes(i++, row.hash().bytes());
        return i;
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

    static SortedMap<String, String> parseDetails(String json) {
        try {
            return JSON.readValue(json, DETAILS);
        } catch (RuntimeException unreadable) {
            // A row edited into invalid JSON must still be walked (and then fail its hash).
            var raw = new TreeMap<String, String>();
            raw.put("<unreadable>", json);
            return raw;
        }
    }

    /** Walks the whole chain in one consistent snapshot, checking keyed events under the audit key. */
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
                var walk = new AuditChain.Walk(key);
                try (var st = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_events ORDER BY seq")) {
                    st.setFetchSize(1000);
                    try (var rs = st.executeQuery()) {
                        while (rs.next() && walk.accept(read(rs))) {
                            // keep walking until the first broken link
                        }
                    }
                }
                return walk.finish(headSeq, headHash, appendedHere);
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
