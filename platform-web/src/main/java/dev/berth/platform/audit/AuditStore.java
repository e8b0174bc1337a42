package dev.berth.platform.audit;

import dev.berth.platform.database.DatabaseProperties;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** JDBC edge of the audit log: appends chained batches, reads rows back for queries and verify. */
@Repository
public class AuditStore implements AutoCloseable {
    static final String COLUMNS = "seq, occurred_at, actor_type, actor, action, target, team, source_address, "
            + "user_agent, outcome, details, prev_hash, hash";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<TreeMap<String, String>> DETAILS = new TypeReference<>() {
    };

    private static final Logger log = LoggerFactory.getLogger(AuditStore.class);

    private final DataSource dataSource;
    private final AuditKey key;
    /** Where this instance's checkpoint outlives it; null keeps it in memory only. */
    private final AuditCheckpointFile checkpointFile;

    /**
     * A store that links new events under {@code key} and verifies with it, its checkpoint in
     * memory only. A null key chains as versions before keying did, with no checkpoint at all.
     */
    public AuditStore(DataSource dataSource, AuditKey key) {
        this(dataSource, key, (AuditCheckpointFile) null);
    }

    /** The platform's store: its checkpoint in the file beside the audit key file. */
    @Autowired
    public AuditStore(DataSource dataSource, AuditKey key, AuditProperties props, DatabaseProperties database) {
        this(dataSource, key, new AuditCheckpointFile(AuditCheckpointFile.besideKey(props.keyFile(database)), key));
    }

    /**
     * A store whose newest appended event is checkpointed in {@code checkpointFile} (null: in
     * memory only), read back here so that a restart still knows how far this instance's log
     * reached. Each platform instance keeps its own checkpoint, even when several share the
     * database; see {@link AuditCheckpointFile}.
     */
    public AuditStore(DataSource dataSource, AuditKey key, AuditCheckpointFile checkpointFile) {
        this.dataSource = dataSource;
        this.key = key;
        this.checkpointFile = key == null ? null : checkpointFile;
        this.checkpoint = this.checkpointFile == null ? new AuditCheckpoint.None() : this.checkpointFile.read();
        if (checkpoint instanceof AuditCheckpoint.Invalid(long _, String reason)) {
            // Not fatal: the log still works and Verify says what is wrong until an operator looks.
            log.error("{}. Verify reports the audit log as broken until this is resolved; the file is left as found."
                    + " If nobody tampered with it (a crash, a restored backup), remove it to start a new checkpoint.", reason);
        }
    }

    /** The newest link as last seen by this process; null until read. */
    private record Head(long seq, ChainHash hash) {
    }

    private Head head;
    /** The newest event this instance appended, which the database cannot make it forget. */
    private volatile AuditCheckpoint.Read checkpoint;
    /** The log no longer holds the checkpointed link: the checkpoint stays as it is, as evidence. */
    private boolean checkpointHeld;

    /**
     * Appends events after the current head. One statement moves the head and inserts the rows,
     * and it only inserts if the head was where this process last saw it; otherwise another
     * appender (a second platform instance) got there first, and the batch is re-linked after the
     * new head. The head row's lock serialises the statements, so the chain never forks. After
     * each batch the checkpoint moves to its last event (its file is written off this path).
     */
    public synchronized List<ChainedEvent> append(List<AuditEvent> events) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            if (head == null) head = readHead();
            List<ChainedEvent> linked = AuditChain.link(head.seq(), head.hash(), events, key);
            if (appendAfter(head, linked)) {
                ChainedEvent last = linked.getLast();
                head = new Head(last.seq(), last.hash());
                if (key != null) advanceCheckpoint(new AuditCheckpoint(last.seq(), last.hash()));
                return linked;
            }
            head = null;
            if (attempt == 20) throw new SQLException("the audit head kept moving; gave up after " + attempt + " tries");
        }
    }

    /** Takes events owed to the chain on the append's connection, inside its transaction; see {@link #appendClaimed}. */
    @FunctionalInterface
    interface Claim {
        /** The events taken, in chain order; none when there is nothing to take. */
        List<AuditEvent> take(Connection c) throws SQLException;
    }

    /**
     * Appends what {@code claim} takes in the same transaction as the taking, so both commit or
     * neither does ({@link AuditOutbox}'s exactly once). The head row is locked in that transaction,
     * after the claim: appenders without a claim only ever lock the head, so no two wait on each other
     * the other way round. Returns the events appended, none when the claim took nothing.
     */
    synchronized List<ChainedEvent> appendClaimed(Claim claim) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<AuditEvent> events = claim.take(c);
                if (events.isEmpty()) return List.of();
                Head locked = readHead(c, " FOR UPDATE");
                List<ChainedEvent> linked = AuditChain.link(locked.seq(), locked.hash(), events, key);
                if (!appendAfter(c, locked.seq(), locked.hash(), linked)) {
                    throw new SQLException("the audit head moved while it was locked");
                }
                c.commit();
                ChainedEvent last = linked.getLast();
                head = new Head(last.seq(), last.hash());
                if (key != null) advanceCheckpoint(new AuditCheckpoint(last.seq(), last.hash()));
                return linked;
            } finally {
                if (!c.getAutoCommit()) c.rollback();
            }
        }
    }

    private void advanceCheckpoint(AuditCheckpoint next) {
        // An untrusted checkpoint, or one the log has lost, is kept for Verify to report, not papered over.
        if (checkpointHeld || checkpoint instanceof AuditCheckpoint.Invalid) return;
        checkpoint = new AuditCheckpoint.Valid(next);
        if (checkpointFile != null) checkpointFile.offer(next);
    }

    /** Writes the checkpoint still queued; a store is closed when the platform stops. */
    @Override
    public void close() {
        if (checkpointFile != null) checkpointFile.close();
    }

    /**
     * Reads the head and, when there is a checkpoint, whether the log still holds its link: the
     * head only moves forward, so a log that lost it was cut back behind this instance's back.
     */
    private Head readHead() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return readHead(c, "");
        }
    }

    /** {@link #readHead()} on the caller's connection; {@code lock} is appended to the query (" FOR UPDATE" or ""). */
    private Head readHead(Connection c, String lock) throws SQLException {
        AuditCheckpoint cp = checkpoint instanceof AuditCheckpoint.Valid(AuditCheckpoint valid) ? valid : null;
        try (var st = c.prepareStatement("SELECT seq, hash, (SELECT hash FROM audit_events WHERE seq = ?) FROM audit_head" + lock)) {
            st.setLong(1, cp == null ? 0 : cp.seq());
            try (var rs = st.executeQuery()) {
                rs.next();
                var read = new Head(rs.getLong(1), new ChainHash(rs.getBytes(2)));
                byte[] atCheckpoint = rs.getBytes(3);
                if (cp != null && !checkpointHeld && (atCheckpoint == null || !cp.hash().equals(new ChainHash(atCheckpoint)))) {
                    checkpointHeld = true;
                    log.error("The audit log no longer holds event {} as this platform instance appended it (the head is at {}):"
                            + " its newest events were removed. The checkpoint {} is kept as evidence and Verify reports it;"
                            + " remove the file only if the database was restored from a backup on purpose.",
                            cp.seq(), read.seq(), checkpointFile == null ? "in memory" : checkpointFile.path());
                }
                return read;
            }
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
        return new ChainedEvent(rs.getLong("seq"), event(rs),
                new ChainHash(rs.getBytes("prev_hash")), new ChainHash(rs.getBytes("hash")));
    }

    /** The event of a row with the columns of {@code audit_events} (its own or {@code audit_outbox}'s). */
    static AuditEvent event(ResultSet rs) throws SQLException {
        return new AuditEvent(
                rs.getTimestamp("occurred_at").toInstant(),
                new AuditEvent.Actor(AuditEvent.ActorType.valueOf(rs.getString("actor_type")), rs.getString("actor")),
                rs.getString("action"),
                rs.getString("target"),
                rs.getString("team"),
                rs.getString("source_address"),
                rs.getString("user_agent"),
                AuditEvent.Outcome.valueOf(rs.getString("outcome")),
                parseDetails(rs.getString("details")));
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
        // Taken before the snapshot: a checkpoint is only written once its event committed, so the snapshot has it.
        AuditCheckpoint.Read appendedHere = checkpoint;
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
                var walk = new AuditChain.Walk(key, appendedHere);
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
