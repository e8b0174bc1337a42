package dev.berth.gitsync.hosted;

import dev.berth.gitsync.CommitId;

/**
 * One ref a push wants to move.
 *
 * @param from the ref's commit before the push, or null when the push creates it
 * @param to the commit it should point at, or null when the push deletes it
 */
public record RefChange(String ref, CommitId from, CommitId to, Kind kind) {
    /** How the ref moves; a force update rewrites history. */
    public enum Kind { CREATE, UPDATE, FORCE_UPDATE, DELETE }

    /** The branch name for {@code refs/heads/NAME}, else null. */
    public String branch() {
        return ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : null;
    }
}
