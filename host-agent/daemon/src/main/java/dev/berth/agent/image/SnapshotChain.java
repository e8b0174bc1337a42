package dev.berth.agent.image;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Names the unpacked snapshot after each layer. Keys chain the layers' blob digests, which the
 * registry client verified, rather than the config's diff_ids, which nothing verifies: an image
 * that lied about a diff_id could otherwise plant its own tree under another image's key.
 */
public final class SnapshotChain {
    private SnapshotChain() {
    }

    /** key(1) = hex of the first blob digest; key(n) = sha256(key(n-1) + " " + digest(n)). */
    public static List<String> keys(List<String> layerDigests) {
        var keys = new ArrayList<String>();
        String previous = null;
        for (String digest : layerDigests) {
            String key = previous == null ? Digests.hex(digest) : sha256(previous + " " + digest);
            keys.add(key);
            previous = key;
        }
        return List.copyOf(keys);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
