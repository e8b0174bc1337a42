package dev.berth.platform.cluster;

import java.util.HexFormat;
import java.security.SecureRandom;

/**
 * This platform instance's id on the cluster channel, new at every start: a notice carrying it
 * came from here and is not acted on again.
 */
public record ClusterInstance(String id) {
    public ClusterInstance {
        if (id == null || !id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("a cluster instance id is 1 to 64 letters, digits, '.', '_' or '-', not '"
                    + (id != null && id.length() > 70 ? id.substring(0, 70) + "..." : id) + "'");
        }
    }

    /** A random id (64 bits, hex). */
    public static ClusterInstance random() {
        byte[] bytes = new byte[8];
        new SecureRandom().nextBytes(bytes);
        return new ClusterInstance(HexFormat.of().formatHex(bytes));
    }
}
