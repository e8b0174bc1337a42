package dev.berth.platform.repositories;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * How a repository's last sync error reads to whom. The stored error is the whole story (for team
 * DEPLOYERs and ADMINs, who fix it, and the audit log); a VIEWER gets only what the repository
 * itself says: the definition's problems, whose content a VIEWER may fetch anyway. Why a fetch or
 * an image lookup failed (addresses, the remote's or registry's answer, exception names) is
 * replaced by a sentence with an error id, under which the server log holds the detail.
 */
final class SyncErrors {
    // DefinitionReview's line for an image it could not resolve: the registry's reason follows.
    private static final Pattern UNRESOLVED = Pattern.compile("^(.*: image \\S+ cannot be resolved):.*$", Pattern.MULTILINE);

    private SyncErrors() {
    }

    /** What a caller below DEPLOYER sees of {@code error}. */
    static String forViewer(String error) {
        if (error == null) return null;
        String id = id(error);
        // Review failures are "commit ABC: problem lines"; anything else is the fetch's own failure.
        if (!error.startsWith("commit ")) {
            return "the last fetch failed; a team DEPLOYER or ADMIN can see why (error id " + id + ")";
        }
        var unresolved = UNRESOLVED.matcher(error);
        if (!unresolved.find()) return error;
        return unresolved.replaceAll("$1 (error id " + id + ")");
    }

    /** A short stable id of an error, the same in the server log as in what a VIEWER sees. */
    static String id(String error) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(error.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
