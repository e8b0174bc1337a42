package dev.berth.platform.logs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Container log streams and their lines in PostgreSQL (V9). Callers hold the transaction. */
@Component
class ContainerLogStore {
    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    ContainerLogStore(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** A stream row: its {@link LogStream.State} and how much it keeps. */
    record Stream(LogStream.State state, int keptLines, long keptBytes) {
    }

    /** A stream whose unfinished line went quiet. */
    record QuietLine(String hostId, String container, String text, int keptLines, long keptBytes) {
    }

    /** Locks a container's stream for this transaction; empty if it has none yet. */
    Optional<Stream> lock(String hostId, String container) {
        return jdbc.sql("""
                SELECT last_offset, last_digest, pending, kept_lines, kept_bytes FROM container_log_streams
                WHERE host_id = ? AND container = ? FOR UPDATE""")
                .params(hostId, container)
                .query((rs, n) -> new Stream(new LogStream.State(rs.getLong("last_offset"), rs.getBytes("last_digest"),
                        rs.getString("pending")), rs.getInt("kept_lines"), rs.getLong("kept_bytes")))
                .optional();
    }

    int streamsOf(String hostId) {
        return jdbc.sql("SELECT count(*) FROM container_log_streams WHERE host_id = ?").param(hostId).query(Integer.class).single();
    }

    /** The hosts that have a stream of this name, by id. */
    List<String> hostsWith(String container) {
        return jdbc.sql("SELECT host_id FROM container_log_streams WHERE container = ? ORDER BY host_id").param(container)
                .query(String.class).list();
    }

    /** Creates a stream; false if a concurrent request created it first. */
    boolean create(String hostId, String container, LogStream.State state, Instant now) {
        return jdbc.sql("""
                INSERT INTO container_log_streams (host_id, container, last_offset, last_digest, pending, kept_lines,
                                                   kept_bytes, updated_at)
                VALUES (?, ?, ?, ?, ?, 0, 0, ?) ON CONFLICT DO NOTHING""")
                .params(hostId, container, state.lastOffset(), state.lastDigest(), state.pending(), Timestamp.from(now))
                .update() == 1;
    }

    void update(String hostId, String container, LogStream.State state, int keptLines, long keptBytes, Instant now) {
        jdbc.sql("""
                UPDATE container_log_streams SET last_offset = ?, last_digest = ?, pending = ?, kept_lines = ?, kept_bytes = ?,
                                                 updated_at = ?, gone_since = NULL
                WHERE host_id = ? AND container = ?""")
                .params(state.lastOffset(), state.lastDigest(), state.pending(), keptLines, keptBytes, Timestamp.from(now),
                        hostId, container)
                .update();
    }

    /** Appends lines in order, in one batch; the seq of the last. */
    long append(String hostId, String container, List<String> lines, Instant now) {
        var at = Timestamp.from(now);
        batch.batchUpdate("INSERT INTO container_log_lines (host_id, container, received_at, text) VALUES (?, ?, ?, ?)", lines,
                500, (ps, line) -> {
                    ps.setString(1, hostId);
                    ps.setString(2, container);
                    ps.setTimestamp(3, at);
                    ps.setString(4, line);
                });
        // Same connection and transaction as the inserts: the seq the last line got.
        return jdbc.sql("SELECT currval('container_log_lines_seq_seq')").query(Long.class).single();
    }

    /** How many lines a stream keeps, and the UTF-8 bytes of their text. */
    record Kept(int lines, long bytes) {
    }

    /**
     * Deletes the oldest lines beyond the newest {@code maxLines} whose text adds up to at most
     * {@code maxBytes} (the newest line always stays), and records and returns what is left.
     */
    Kept trim(String hostId, String container, int maxLines, long maxBytes) {
        jdbc.sql("""
                DELETE FROM container_log_lines WHERE host_id = ? AND container = ? AND seq < (
                    SELECT min(seq) FROM (
                        SELECT seq, sum(octet_length(text)) OVER (ORDER BY seq DESC) AS total,
                               row_number() OVER (ORDER BY seq DESC) AS n
                        FROM container_log_lines WHERE host_id = ? AND container = ? ORDER BY seq DESC LIMIT ?
                    ) newest WHERE total <= ? OR n = 1)""")
                .params(hostId, container, hostId, container, maxLines, maxBytes).update();
        var kept = jdbc.sql("""
                SELECT count(*) AS lines, coalesce(sum(octet_length(text)), 0) AS bytes FROM container_log_lines
                WHERE host_id = ? AND container = ?""")
                .params(hostId, container).query((rs, n) -> new Kept(rs.getInt("lines"), rs.getLong("bytes"))).single();
        jdbc.sql("UPDATE container_log_streams SET kept_lines = ?, kept_bytes = ? WHERE host_id = ? AND container = ?")
                .params(kept.lines(), kept.bytes(), hostId, container).update();
        return kept;
    }

    /** The newest {@code limit} lines, oldest first. */
    List<LogLine> tail(String hostId, String container, int limit) {
        return jdbc.sql("""
                SELECT * FROM (SELECT seq, received_at, text FROM container_log_lines WHERE host_id = ? AND container = ?
                               ORDER BY seq DESC LIMIT ?) newest ORDER BY seq""")
                .params(hostId, container, limit).query(ContainerLogStore::line).list();
    }

    /** Up to {@code limit} lines after {@code seq}, oldest first. */
    List<LogLine> after(String hostId, String container, long seq, int limit) {
        return jdbc.sql("""
                SELECT seq, received_at, text FROM container_log_lines WHERE host_id = ? AND container = ? AND seq > ?
                ORDER BY seq LIMIT ?""")
                .params(hostId, container, seq, limit).query(ContainerLogStore::line).list();
    }

    /** Locks streams whose unfinished line got no output since {@code before}, skipping those being appended to. */
    List<QuietLine> lockQuietLines(Instant before) {
        return jdbc.sql("""
                SELECT host_id, container, pending, kept_lines, kept_bytes FROM container_log_streams
                WHERE pending <> '' AND updated_at < ? ORDER BY host_id, container FOR UPDATE SKIP LOCKED""")
                .param(Timestamp.from(before))
                .query((rs, n) -> new QuietLine(rs.getString("host_id"), rs.getString("container"), rs.getString("pending"),
                        rs.getInt("kept_lines"), rs.getLong("kept_bytes")))
                .list();
    }

    /** Turns a quiet unfinished line into a line of its own; its seq. */
    long closeQuietLine(QuietLine quiet, Instant now) {
        long seq = append(quiet.hostId(), quiet.container(), List.of(quiet.text()), now);
        jdbc.sql("""
                UPDATE container_log_streams SET pending = '', kept_lines = kept_lines + 1,
                                                 kept_bytes = kept_bytes + octet_length(?)
                WHERE host_id = ? AND container = ?""")
                .params(quiet.text(), quiet.hostId(), quiet.container()).update();
        return seq;
    }

    /**
     * Marks streams whose host no longer reports their container (or whose host went silent for
     * {@code heartbeatTimeout}) as gone from now, and those reported again as present.
     */
    void markGone(Instant now, Duration heartbeatTimeout) {
        jdbc.sql("""
                UPDATE container_log_streams s SET gone_since = CASE WHEN reported THEN NULL ELSE coalesce(s.gone_since, ?) END
                FROM (SELECT s2.host_id, s2.container, EXISTS (
                          SELECT 1 FROM host_containers c JOIN hosts h ON h.id = c.host_id
                          WHERE c.host_id = s2.host_id AND c.name = s2.container AND h.last_heartbeat_at > ?) AS reported
                      FROM container_log_streams s2) r
                WHERE r.host_id = s.host_id AND r.container = s.container
                  AND (r.reported AND s.gone_since IS NOT NULL OR NOT r.reported AND s.gone_since IS NULL)""")
                .params(Timestamp.from(now), Timestamp.from(now.minus(heartbeatTimeout))).update();
    }

    /** Deletes streams (and their lines) gone since before {@code cutoff}; how many. */
    int deleteGoneBefore(Instant cutoff) {
        return jdbc.sql("DELETE FROM container_log_streams WHERE gone_since < ?").param(Timestamp.from(cutoff)).update();
    }

    private static LogLine line(ResultSet rs, int n) throws SQLException {
        return new LogLine(rs.getLong("seq"), rs.getTimestamp("received_at").toInstant(), rs.getString("text"));
    }
}
