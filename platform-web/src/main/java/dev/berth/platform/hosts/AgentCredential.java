package dev.berth.platform.hosts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A host agent's credential, {@code berth-agent_<hostId>_<secret>}: the host id finds the row, only
 * sha256 of the secret is stored. Its shape differs from a person's {@code berth_} token, so neither
 * parses as the other. Also home of the join-token form, {@code berth-join_<secret>}.
 */
public record AgentCredential(String hostId, String secret) {
    private static final String ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String LOWER = "0123456789abcdefghijklmnopqrstuvwxyz";
    static final String PREFIX = "berth-agent_";
    static final String JOIN_PREFIX = "berth-join_";
    private static final Pattern FORMAT = Pattern.compile("berth-agent_(h-[0-9a-z]{12})_([0-9A-Za-z]{32})");
    private static final Pattern JOIN_FORMAT = Pattern.compile("berth-join_[0-9A-Za-z]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public static AgentCredential generate(String hostId) {
        return new AgentCredential(hostId, random(ALNUM, 32));
    }

    static String newHostId() {
        return "h-" + random(LOWER, 12);
    }

    static String newJoinToken() {
        return JOIN_PREFIX + random(ALNUM, 32);
    }

    static boolean looksLikeJoinToken(String text) {
        return text != null && JOIN_FORMAT.matcher(text.trim()).matches();
    }

    /** Parses the text form; empty if it is not shaped like an agent credential. */
    public static Optional<AgentCredential> parse(String text) {
        if (text == null) return Optional.empty();
        var m = FORMAT.matcher(text.trim());
        return m.matches() ? Optional.of(new AgentCredential(m.group(1), m.group(2))) : Optional.empty();
    }

    public String text() {
        return PREFIX + hostId + "_" + secret;
    }

    public byte[] hash() {
        return sha256(secret);
    }

    /** Constant-time comparison with a stored hash. */
    public boolean matches(byte[] storedHash) {
        return MessageDigest.isEqual(hash(), storedHash);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.trim().getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static String random(String alphabet, int length) {
        var sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        return sb.toString();
    }

    @Override
    public String toString() {
        return "AgentCredential[" + hostId + "]";
    }
}
