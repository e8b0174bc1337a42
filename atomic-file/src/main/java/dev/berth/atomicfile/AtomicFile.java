package dev.berth.atomicfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A file replaced whole or not at all, surviving a crash: the content goes to a temporary file
 * beside it ({@code .NAME.RANDOM.tmp}), which is synced, renamed over the file and followed by a
 * sync of the directory, so after a crash the file holds either the old or the new content. A
 * failed write removes its temporary file and leaves the old content in place.
 *
 * @param path the file
 * @param mode the permissions the temporary file is created with (so the file is never readable
 *             more widely, not even for a moment), or null for the process's defaults; ignored on
 *             file systems without POSIX permissions
 * @param sync false skips both syncs: the replacement stays atomic but a crash may bring back the
 *             older content, which only files rewritten often and safe to lose may accept
 */
public record AtomicFile(Path path, Set<PosixFilePermission> mode, boolean sync) {

    /** Readable and writable by the owner only, for secrets. */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    public AtomicFile {
        Objects.requireNonNull(path, "path");
        if (path.getFileName() == null) throw new IllegalArgumentException(path + " names no file");
        mode = mode == null ? null : Set.copyOf(mode);
    }

    /** {@code path}, created with the process's default permissions, synced. */
    public static AtomicFile at(Path path) {
        return new AtomicFile(path, null, true);
    }

    /** {@code path}, created 0600 (owner only), synced. */
    public static AtomicFile ownerOnly(Path path) {
        return new AtomicFile(path, OWNER_ONLY, true);
    }

    /** This file created with {@code mode}, such as {@code rw-r--r--}. */
    public AtomicFile withMode(String mode) {
        return new AtomicFile(path, PosixFilePermissions.fromString(mode), sync);
    }

    /** This file without the syncs (see {@link #sync()}). */
    public AtomicFile unsynced() {
        return new AtomicFile(path, mode, false);
    }

    /** What a streaming write puts into the temporary file; throwing abandons the write. */
    @FunctionalInterface
    public interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Replaces the file with {@code content}. */
    public void write(byte[] content) throws IOException {
        write(channel -> writeFully(channel, content));
    }

    /** Replaces the file with {@code text} in UTF-8. */
    public void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Replaces the file with what {@code content} writes, such as a download checked as it
     * streams; when it throws, the file keeps its old content and the temporary file is removed.
     */
    public void write(Content content) throws IOException {
        Path temp = writeTemporary(content);
        try {
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (sync) syncDirectory(directory());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Writes {@code content} to the file unless it exists, never replacing it: the synced
     * temporary file is hard-linked into place, which fails rather than replaces, so of two
     * processes racing exactly one creates the file.
     *
     * @return false when the file was already there
     */
    public boolean createIfAbsent(byte[] content) throws IOException {
        Path temp = writeTemporary(channel -> writeFully(channel, content));
        try {
            Files.createLink(path, temp);
            if (sync) syncDirectory(directory());
            return true;
        } catch (FileAlreadyExistsException taken) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Renames the finished directory {@code finished} to {@code target} in one step (both in the
     * same directory, {@code target} absent or empty) and syncs the directory holding them, so
     * {@code target} is either absent or complete, also after a crash.
     */
    public static void moveDirectoryIntoPlace(Path finished, Path target) throws IOException {
        Files.move(finished, target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(target.toAbsolutePath().getParent());
    }

    private Path writeTemporary(Content content) throws IOException {
        Path dir = directory();
        Path temp = dir.resolve("." + path.getFileName() + "." + UUID.randomUUID() + ".tmp");
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = mode != null && posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)} : new FileAttribute<?>[0];
        try (var channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
            content.writeTo(channel);
            if (sync) channel.force(true);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return temp;
    }

    private Path directory() {
        return path.toAbsolutePath().getParent();
    }

    private static void writeFully(FileChannel channel, byte[] content) throws IOException {
        var buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) channel.write(buffer);
    }

    /**
     * Makes a rename in {@code dir} durable. A directory that cannot be opened or synced is an
     * error like any other: the rename would not survive a crash, and the caller must know.
     */
    private static void syncDirectory(Path dir) throws IOException {
        try (var channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
