package dev.berth.platform.clilogin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The secret the CLI polls with: 256 random bits, base64url. Only its sha256 is stored; with that
 * many random bits a fast hash suffices, as for API tokens.
 */
public record DeviceCode(String text) {
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    static DeviceCode generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new DeviceCode(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** A presented code, or empty when it is not shaped like one of ours. */
    static Optional<DeviceCode> parse(String presented) {
        return presented != null && FORMAT.matcher(presented).matches() ? Optional.of(new DeviceCode(presented)) : Optional.empty();
    }

    byte[] hash() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    public String toString() {
        return "DeviceCode[hidden]";
    }
}
