package dev.berth.agent.image;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The image store's filesystem has no room for what a pull needs: before it begins (its missing
 * blobs are larger than the space left) or while it downloads or unpacks (the kernel said ENOSPC).
 * The message names the directory and the sizes; the pull has left nothing of itself behind.
 */
public final class StoreFull extends IOException {
    private final Path directory;
    private final long needed;
    private final long left;

    private StoreFull(String message, Path directory, long needed, long left, Throwable cause) {
        super(message, cause);
        this.directory = directory;
        this.needed = needed;
        this.left = left;
    }

    /** The directory whose filesystem is full. */
    public Path directory() {
        return directory;
    }

    /** The bytes the pull needed at least; -1 when it ran out midway, with more to come unknown. */
    public long needed() {
        return needed;
    }

    /** The bytes left on the filesystem when the pull gave up (after undoing what it wrote). */
    public long left() {
        return left;
    }

    /** Refuses a pull before it begins when its missing blobs ({@code needed} bytes) do not fit in {@code directory}. */
    static void require(Path directory, long needed, String image) throws IOException {
        long left = usable(directory);
        if (needed > left) {
            throw new StoreFull(directory + " has no room for " + image + ": its blobs need " + size(needed) + " more, the filesystem has "
                    + size(left) + " left; " + ADVICE, directory, needed, left, null);
        }
    }

    /**
     * {@code failure} said as a full store, when the kernel's reason somewhere in it is that the disk is full; else null.
     *
     * @param doing what ran out of space, such as {@code pulling REFERENCE}
     */
    static StoreFull of(Throwable failure, Path directory, String doing) {
        if (!noSpace(failure)) return null;
        long left = -1;
        try {
            left = usable(directory);
        } catch (IOException unknown) {
            // said without the size then
        }
        return new StoreFull(directory + " is full: " + doing + " ran out of space (" + failure.getMessage() + ")"
                + (left >= 0 ? "; " + size(left) + " left after removing what the pull wrote" : "") + "; " + ADVICE,
                directory, -1, left, failure);
    }

    private static final String ADVICE = "nothing of the pull was kept; free space (berth-agent image rm, image gc) and pull again";

    /** Whether the kernel's reason somewhere in the chain of {@code t} is a full disk or a spent quota. */
    static boolean noSpace(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String text = c instanceof FileSystemException f && f.getReason() != null ? f.getReason() : c.getMessage();
            if (text != null) {
                String lower = text.toLowerCase(Locale.ROOT);
                if (lower.contains("no space left on device") || lower.contains("disk quota exceeded")) return true;
            }
            if (c.getCause() == c) break;
        }
        return false;
    }

    private static long usable(Path directory) throws IOException {
        return Files.getFileStore(directory).getUsableSpace();
    }

    /** Bytes as people read them: {@code 48.0 MiB}. */
    static String size(long bytes) {
        if (bytes < 1024) return bytes + " bytes";
        if (bytes < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        if (bytes < 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
