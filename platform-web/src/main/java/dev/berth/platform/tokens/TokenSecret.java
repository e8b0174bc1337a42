package dev.berth.platform.tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The text form of an API token, {@code berth_<publicId>_<secret>}. The public id finds the row;
 * only sha256 of the secret is stored. Secrets carry 190 random bits, so a fast hash suffices.
 */
public record TokenSecret(String publicId, String secret) {
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final Pattern FORMAT = Pattern.compile("berth_([0-9A-Za-z]{12})_([0-9A-Za-z]{32})");
    private static final SecureRandom RANDOM = new SecureRandom();

    public static TokenSecret generate() {
        return new TokenSecret(random(12), random(32));
    }

    /** Parses the text form; empty if it is not shaped like a Berth token. */
    public static Optional<TokenSecret> parse(String text) {
        if (text == null) return Optional.empty();
        var m = FORMAT.matcher(text.trim());
        return m.matches() ? Optional.of(new TokenSecret(m.group(1), m.group(2))) : Optional.empty();
    }

    public String text() {
        return "berth_" + publicId + "_" + secret;
    }

    public byte[] hash() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Constant-time comparison with a stored hash. */
    public boolean matches(byte[] storedHash) {
        return MessageDigest.isEqual(hash(), storedHash);
    }

    private static String random(int length) {
        var sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        return sb.toString();
    }

    @Override
    public String toString() {
        return "TokenSecret[" + publicId + "]";
    }
}
