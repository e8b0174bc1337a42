package dev.berth.platform.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Properties;
import javax.crypto.Mac;

/**
 * The newest audit event one platform instance appended, as it writes it outside the database
 * ({@link AuditCheckpointFile}). Whoever owns the database can delete the newest events and
 * rewind {@code audit_head} to an earlier genuine link, and every remaining row still checks
 * out under the key; only a record kept elsewhere of how far the log reached gives that away.
 * The record carries an HMAC under the audit key, so somebody who can write the file but has not
 * got the key cannot lower it (or point it at another link) unnoticed.
 *
 * @param seq  the newest event this instance appended
 * @param hash that event's chain hash, so a log rewound and then extended again to {@code seq} or
 *             beyond is still caught
 */
public record AuditCheckpoint(long seq, ChainHash hash) {
    private static final String HEADER = "# Berth audit checkpoint: the newest audit event this platform instance appended,\n"
            + "# checked by Verify. Kept 0600 beside the audit key; one per instance, never shared or copied.\n";
    private static final byte[] DOMAIN = "berth audit checkpoint v1".getBytes(StandardCharsets.US_ASCII);

    public AuditCheckpoint {
        if (seq < 1) throw new IllegalArgumentException("a checkpoint names an event, seq >= 1, got " + seq);
    }

    /** What a checkpoint file held when it was read. */
    public sealed interface Read permits None, Valid, Invalid {
    }

    /** No checkpoint: nothing appended by this instance yet (first start, or an upgrade). */
    public record None() implements Read {
    }

    /** A checkpoint whose MAC holds under the audit key. */
    public record Valid(AuditCheckpoint checkpoint) implements Read {
    }

    /**
     * A checkpoint that cannot be trusted: unreadable, or its MAC fails under the audit key.
     *
     * @param seq the event it claims, 0 when that is unreadable too
     */
    public record Invalid(long seq, String reason) implements Read {
    }

    /** The file's text, sealed under {@code key}. */
    public byte[] encode(AuditKey key) {
        return (HEADER
                + "seq=" + seq + "\n"
                + "hash=" + hash.hex() + "\n"
                + "mac=" + HexFormat.of().formatHex(mac(key, seq, hash)) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads a checkpoint file's text; {@code source} names the file in the reason of an invalid one. */
    public static Read decode(byte[] text, AuditKey key, String source) {
        long seq;
        ChainHash hash;
        byte[] mac;
        try {
            var p = new Properties();
            p.load(new java.io.StringReader(new String(text, StandardCharsets.US_ASCII)));
            seq = Long.parseLong(required(p, "seq"));
            hash = new ChainHash(HexFormat.of().parseHex(required(p, "hash")));
            mac = HexFormat.of().parseHex(required(p, "mac"));
        } catch (java.io.IOException | IllegalArgumentException e) {
            return new Invalid(0, "the audit checkpoint " + source + " is unreadable (" + e.getMessage() + ")");
        }
        if (seq < 1 || !MessageDigest.isEqual(mac, mac(key, seq, hash))) {
            return new Invalid(Math.max(seq, 0), "the audit checkpoint " + source + " (event " + seq + ") fails its MAC under the audit key:"
                    + " it was edited, or written without this key, so how far this instance's log reached is unknown");
        }
        return new Valid(new AuditCheckpoint(seq, hash));
    }

    private static String required(Properties p, String name) {
        String v = p.getProperty(name);
        if (v == null || v.isBlank()) throw new IllegalArgumentException("'" + name + "' is missing");
        return v.strip();
    }

    private static byte[] mac(AuditKey key, long seq, ChainHash hash) {
        Mac mac = key.mac();
        mac.update(DOMAIN);
        mac.update(ByteBuffer.allocate(8).putLong(seq).array());
        mac.update(hash.bytes());
        return mac.doFinal();
    }
}
