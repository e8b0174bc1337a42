package dev.berth.gitsync;

import java.util.regex.Pattern;

/** A git commit id: 40 lowercase hex digits (SHA-1 repositories). */
public record CommitId(String hex) {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{40}");

    public CommitId {
        if (hex == null || !HEX.matcher(hex).matches()) throw new IllegalArgumentException("'" + hex + "' is not a commit id");
    }

    /** The first 12 digits, as people quote commits. */
    public String abbreviated() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return hex;
    }
}
