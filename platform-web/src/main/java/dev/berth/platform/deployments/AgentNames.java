package dev.berth.platform.deployments;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names as host agents accept them: 1 to 63 of {@code [a-z0-9._-]}, starting and ending with a
 * letter or digit. Team and app names already use only those characters; a name that comes out
 * longer keeps its first characters and ends in a hash of the whole, so it stays unique and stable.
 */
public final class AgentNames {
    /** The longest name an agent accepts. */
    public static final int MAX = 63;
    private static final int HASH = 12;

    private AgentNames() {
    }

    /**
     * The agent-side app name of a team's app, {@code team.app}: unique across teams, and stable, so
     * the agent keeps the app's uid range and volumes across revisions.
     */
    public static String app(String team, String app) {
        return fit(team + "." + app);
    }

    /** The container name for a replica id. */
    public static String container(String replicaId) {
        return fit(replicaId);
    }

    static String fit(String name) {
        if (name.length() <= MAX) return name;
        return name.substring(0, MAX - HASH - 1) + "-" + sha256(name).substring(0, HASH);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
