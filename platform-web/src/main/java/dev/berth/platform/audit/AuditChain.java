package dev.berth.platform.audit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;

/**
 * The pure rules of the tamper-evident chain: how a link is hashed and how a sequence of stored
 * rows is checked. No I/O; {@link AuditLog} and {@link AuditVerifier} feed it rows.
 */
public final class AuditChain {
    private AuditChain() {
    }

    /** Links {@code events} after {@code (headSeq, headHash)} in order, unkeyed. */
    public static List<ChainedEvent> link(long headSeq, ChainHash headHash, List<AuditEvent> events) {
        return link(headSeq, headHash, events, null);
    }

    /** Links {@code events} after {@code (headSeq, headHash)} in order, under {@code key} where it covers them. */
    public static List<ChainedEvent> link(long headSeq, ChainHash headHash, List<AuditEvent> events, AuditKey key) {
        var out = new ArrayList<ChainedEvent>(events.size());
        Mac mac = key == null ? null : key.mac();
        long seq = headSeq;
        ChainHash prev = headHash;
        for (AuditEvent e : events) {
            seq++;
            ChainHash hash = mac != null && key.covers(seq) ? keyed(mac, seq, prev, e) : hash(seq, prev, e);
            out.add(new ChainedEvent(seq, e, prev, hash));
            prev = hash;
        }
        return out;
    }

    /** sha256(prev || canonical(seq, event)). */
    public static ChainHash hash(long seq, ChainHash prev, AuditEvent e) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prev.bytes());
            sha.update(canonical(seq, e));
            return new ChainHash(sha.digest());
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The link of event {@code seq}: keyed where {@code key} covers it, plain SHA-256 before. */
    public static ChainHash hash(long seq, ChainHash prev, AuditEvent e, AuditKey key) {
        return key != null && key.covers(seq) ? keyed(key.mac(), seq, prev, e) : hash(seq, prev, e);
    }

    /** HMAC-SHA256_key(prev || canonical(seq, event)): the same bytes as the plain link, under the key. */
    private static ChainHash keyed(Mac mac, long seq, ChainHash prev, AuditEvent e) {
        mac.update(prev.bytes());
        mac.update(canonical(seq, e));
        return new ChainHash(mac.doFinal());
    }

    /**
     * Canonical bytes of a row: every field length-prefixed so no two different rows encode the
     * same, nulls distinct from empty strings, details in key order.
     */
    static byte[] canonical(long seq, AuditEvent e) {
        var out = new ByteArrayOutputStream(256);
        writeLong(out, seq);
        writeLong(out, micros(e.time()));
        writeString(out, e.actor().type().name());
        writeString(out, e.actor().name());
        writeString(out, e.action());
        writeString(out, e.target());
        writeString(out, e.team());
        writeString(out, e.sourceAddress());
        writeString(out, e.userAgent());
        writeString(out, e.outcome().name());
        writeLong(out, e.details().size());
        for (Map.Entry<String, String> d : e.details().entrySet()) {
            writeString(out, d.getKey());
            writeString(out, d.getValue());
        }
        return out.toByteArray();
    }

    private static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    private static void writeLong(ByteArrayOutputStream out, long v) {
        out.writeBytes(ByteBuffer.allocate(8).putLong(v).array());
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        if (s == null) {
            writeLong(out, -1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeLong(out, b.length);
        out.writeBytes(b);
    }

    /** Walks stored rows in order; remembers the first link that does not hold. */
    public static final class Walk {
        private final AuditKey key;
        private final Mac mac;
        private long expectedSeq = 1;
        private ChainHash prev = ChainHash.GENESIS;
        private long checked;
        private BrokenLink broken;
        private final AuditCheckpoint.Read checkpoint;
        /** The hash of the walked row at the checkpoint's seq, once reached. */
        private ChainHash atCheckpoint;

        /** A walk of a chain that was never keyed. */
        public Walk() {
            this(null);
        }

        /** A walk that checks events from {@code key.keyedFrom()} on under the key, and the anchor before them. */
        public Walk(AuditKey key) {
            this(key, new AuditCheckpoint.None());
        }

        /**
         * As {@link #Walk(AuditKey)}, and also against {@code checkpoint}, the newest event this
         * platform instance appended as it recorded it outside the database: the head in the
         * database can be rewound to an earlier, still valid link, but not that record.
         */
        public Walk(AuditKey key, AuditCheckpoint.Read checkpoint) {
            this.key = key;
            this.mac = key == null ? null : key.mac();
            this.checkpoint = checkpoint;
        }

        private ChainHash expectedHash(ChainedEvent row) {
            return mac != null && key.covers(row.seq()) ? keyed(mac, row.seq(), row.prevHash(), row.event())
                    : hash(row.seq(), row.prevHash(), row.event());
        }

        /** Feeds the next stored row; returns false once the chain is known to be broken. */
        public boolean accept(ChainedEvent row) {
            if (broken != null) return false;
            checked++;
            if (row.seq() != expectedSeq) {
                broken = new BrokenLink(expectedSeq, row.seq() > expectedSeq
                        ? "rows " + expectedSeq + ".." + (row.seq() - 1) + " are missing"
                        : "sequence number " + row.seq() + " appears out of order");
            } else if (!row.prevHash().equals(prev)) {
                broken = new BrokenLink(row.seq(), "previous-hash does not match the hash of row " + (row.seq() - 1));
            } else if (!expectedHash(row).equals(row.hash())) {
                broken = new BrokenLink(row.seq(), key != null && key.covers(row.seq())
                        ? "content does not match its keyed hash: the row was altered (or written without this audit key)"
                        : "content does not match its hash: the row was altered");
            } else if (key != null && row.seq() == key.keyedFrom() - 1 && !row.hash().equals(key.anchor())) {
                // Each row is consistent, so somebody rewrote events before keying and recomputed
                // their plain hashes; which one is no longer knowable, only that it is one of them.
                broken = new BrokenLink(row.seq(), "the events up to " + row.seq() + " were rewritten and rehashed:"
                        + " the hash of this event is not the one the audit key file recorded when keying began");
            }
            if (broken != null) return false;
            if (checkpoint instanceof AuditCheckpoint.Valid(AuditCheckpoint cp) && row.seq() == cp.seq()) atCheckpoint = row.hash();
            expectedSeq++;
            prev = row.hash();
            return true;
        }

        /**
         * Compares the end of the walk with the recorded head, catching removal of the newest rows,
         * and with the checkpoint given to the walk.
         */
        public VerifyResult finish(long headSeq, ChainHash headHash) {
            if (broken == null) {
                long last = expectedSeq - 1;
                AuditCheckpoint cp = checkpoint instanceof AuditCheckpoint.Valid(AuditCheckpoint valid) ? valid : null;
                if (cp != null && cp.seq() > last) {
                    broken = new BrokenLink(last + 1, "the log ends at " + last + " but this platform instance appended"
                            + " event " + cp.seq() + " (its audit checkpoint says so): the newest events were removed");
                } else if (cp != null && !cp.hash().equals(atCheckpoint)) {
                    broken = new BrokenLink(cp.seq(), "event " + cp.seq() + " is not the one this platform instance appended"
                            + " (its audit checkpoint holds another hash): the log was cut back and written again from there");
                } else if (key != null && last < key.keyedFrom()) {
                    // Keying begins with an event of its own, so a keyed log always reaches keyedFrom.
                    broken = new BrokenLink(last + 1, "the log ends at " + last + " but the audit key file says keyed events"
                            + " begin at " + key.keyedFrom() + ": the newest events were removed");
                } else if (headSeq != last) {
                    broken = new BrokenLink(last + 1, headSeq > last
                            ? "the head records " + headSeq + " rows but the log ends at " + last + ": newest rows were removed"
                            : "the log has rows past the recorded head " + headSeq);
                } else if (!headHash.equals(prev)) {
                    broken = new BrokenLink(last, "the recorded head hash does not match the last row");
                } else if (checkpoint instanceof AuditCheckpoint.Invalid(long claimed, String reason)) {
                    // The rows hold, but how far this instance's log reached is unknown: say so, do not guess.
                    broken = new BrokenLink(claimed, reason);
                }
            }
            return new VerifyResult(broken == null, checked, Optional.ofNullable(broken), key == null ? 0 : key.keyedFrom());
        }
    }

    /** The first place where the chain fails. */
    public record BrokenLink(long seq, String reason) {
    }

    /**
     * Outcome of a full walk.
     *
     * @param keyedFrom the first event checked under the audit key, 0 when the walk had no key
     */
    public record VerifyResult(boolean intact, long checked, Optional<BrokenLink> firstBroken, long keyedFrom) {
    }
}
