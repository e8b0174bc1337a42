package dev.berth.platform.notifications;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a receiver knows a webhook came from Berth, like GitHub's {@code X-Hub-Signature-256}: the
 * header {@value #HEADER} is {@code sha256=} and the hex HMAC-SHA256 of the exact body bytes, keyed
 * with the endpoint's signing secret.
 */
public final class Signature {
    public static final String HEADER = "X-Berth-Signature-256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Signature() {
    }

    /** {@code sha256=<hex>} of {@code body} under {@code secret}. */
    public static String of(String secret, byte[] body) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh signing secret: 32 random bytes as hex, easy to paste into a receiver's settings. */
    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + HexFormat.of().formatHex(bytes);
    }
}
