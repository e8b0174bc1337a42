package dev.berth.gitsync.definition;

/** The numeric {@code uid:gid} an app runs as inside its container, each 0–65535. */
public record UserSpec(int uid, int gid) {
}
