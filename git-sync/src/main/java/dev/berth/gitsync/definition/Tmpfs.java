package dev.berth.gitsync.definition;

/** A memory-backed scratch mount at an absolute path, capped at {@code sizeBytes}. */
public record Tmpfs(String mount, long sizeBytes) {
}
