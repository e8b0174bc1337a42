package dev.berth.gitsync.definition;

/** A persistent volume, mounted nosuid,nodev at an absolute path, capped at {@code sizeBytes}. */
public record Volume(String name, String mount, long sizeBytes) {
}
