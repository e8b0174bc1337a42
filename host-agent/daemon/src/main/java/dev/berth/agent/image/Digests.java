package dev.berth.agent.image;

import java.util.regex.Pattern;

/** Content digests as the store accepts them: only sha256, only lowercase hex, so a digest can name a file safely. */
public final class Digests {
    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

    private Digests() {
    }

    /** The 64 hex characters of a {@code sha256:} digest; anything else is refused. */
    public static String hex(String digest) {
        if (digest == null || !SHA256.matcher(digest).matches()) {
            throw new IllegalArgumentException("'" + digest + "' is not a sha256 digest (sha256: and 64 lowercase hex digits)");
        }
        return digest.substring("sha256:".length());
    }
}
