package dev.berth.registry;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Content digests as registries use them; only sha256 is accepted. */
final class Digests {

    private static final Pattern SHA256 = Pattern.compile("sha256:[a-f0-9]{64}");

    private Digests() {
    }

    /** Throws IllegalArgumentException unless {@code digest} is {@code sha256:<64 lowercase hex>}. */
    static String check(String digest) {
        if (digest == null || !SHA256.matcher(digest).matches()) {
            if (digest != null && digest.indexOf(':') > 0 && !digest.startsWith("sha256:")) {
                throw new IllegalArgumentException("digest algorithm of '" + digest + "' is not supported (only sha256)");
            }
            throw new IllegalArgumentException("digest '" + digest + "' is not sha256:<64 lowercase hex digits>");
        }
        return digest;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String of(MessageDigest finished) {
        return "sha256:" + HexFormat.of().formatHex(finished.digest());
    }

    static String of(byte[] content) {
        MessageDigest md = sha256();
        md.update(content);
        return of(md);
    }
}
