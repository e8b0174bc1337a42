package dev.berth.platform.audit;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Properties;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret that keys the audit chain, with where keying began. From event {@code keyedFrom}
 * on, a link is HMAC-SHA256 under the secret instead of plain SHA-256, so whoever can write the
 * database but has not got the key file (the database owner, a superuser) can no longer
 * recompute the chain after editing a row. Events before {@code keyedFrom} were chained before
 * the key existed; {@code anchor}, the hash of event {@code keyedFrom - 1} when the key was
 * made, pins them: rewriting any of them changes that hash.
 *
 * @param secret    32 random bytes; never stored in the database
 * @param keyedFrom the first event linked under the key (1 for a log that started keyed)
 * @param anchor    the chain hash of event {@code keyedFrom - 1} ({@link ChainHash#GENESIS} for none)
 */
public record AuditKey(byte[] secret, long keyedFrom, ChainHash anchor) {
    private static final String ALGORITHM = "HmacSHA256";
    private static final String HEADER = "# Berth audit chain key. Keep it 0600 and secret, back it up, and give every platform\n"
            + "# instance that shares this database the same file (berth.audit.key-file, BERTH_AUDIT_KEY_FILE).\n"
            + "# Without it the log cannot be verified from keyedFrom on.\n";

    public AuditKey {
        if (secret.length != 32) throw new IllegalArgumentException("an audit key has 32 bytes, got " + secret.length);
        if (keyedFrom < 1) throw new IllegalArgumentException("keyedFrom must be at least 1, got " + keyedFrom);
        secret = secret.clone();
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    /** A fresh MAC under the key; one per thread of use. */
    Mac mac() {
        try {
            var mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Names the key without revealing it: recorded in the log so instances can tell keys apart. */
    public String id() {
        byte[] tag = mac().doFinal("berth audit key id".getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(tag, 0, 8);
    }

    /** Whether event {@code seq} is linked under the key. */
    public boolean covers(long seq) {
        return seq >= keyedFrom;
    }

    /** The key file's text. */
    public byte[] encode() {
        return (HEADER
                + "secret=" + Base64.getEncoder().encodeToString(secret) + "\n"
                + "keyedFrom=" + keyedFrom + "\n"
                + "anchor=" + anchor.hex() + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads a key file's text; {@code source} names the file in errors. */
    public static AuditKey decode(byte[] text, String source) {
        var p = new Properties();
        try {
            p.load(new java.io.StringReader(new String(text, StandardCharsets.US_ASCII)));
            return new AuditKey(Base64.getDecoder().decode(required(p, "secret", source)),
                    Long.parseLong(required(p, "keyedFrom", source)),
                    new ChainHash(HexFormat.of().parseHex(required(p, "anchor", source))));
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " is not a valid audit key file: " + e.getMessage(), e);
        }
    }

    private static String required(Properties p, String name, String source) {
        String v = p.getProperty(name);
        if (v == null || v.isBlank()) throw new IllegalArgumentException("'" + name + "' is missing");
        return v.strip();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuditKey k && java.util.Arrays.equals(secret, k.secret) && keyedFrom == k.keyedFrom
                && anchor.equals(k.anchor);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(keyedFrom) * 31 + anchor.hashCode();
    }

    @Override
    public String toString() {
        return "AuditKey[" + id() + ", keyedFrom=" + keyedFrom + "]";
    }
}
