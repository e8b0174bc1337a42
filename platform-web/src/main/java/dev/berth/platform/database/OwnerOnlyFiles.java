package dev.berth.platform.database;

import dev.berth.atomicfile.AtomicFile;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Secrets on disk that only the platform's own user may read: files 0600 in directories 0700,
 * created with those modes (never widened first and narrowed later) and published atomically,
 * so a crash or a second process never sees half a file.
 */
public final class OwnerOnlyFiles {
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {
    }

    /** Creates {@code dir} (and missing parents of it) 0700, or narrows an existing one to 0700. */
    public static Path directory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            if (!Files.getPosixFilePermissions(dir).equals(DIRECTORY)) Files.setPosixFilePermissions(dir, DIRECTORY);
            return dir;
        }
        if (dir.getParent() != null) Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
        } catch (FileAlreadyExistsException raced) {
            return directory(dir);
        }
        return dir;
    }

    /**
     * Writes {@code content} to {@code file} unless it exists: into a 0600 temporary file beside
     * it, synced, then linked into place, which fails rather than replaces. Returns false when
     * the file was already there (perhaps just created by another process).
     */
    public static boolean createIfAbsent(Path file, byte[] content) throws IOException {
        return AtomicFile.ownerOnly(file).createIfAbsent(content);
    }

    /** Replaces {@code file} atomically with a 0600 file holding {@code content}, synced before it is renamed. */
    public static void replace(Path file, byte[] content) throws IOException {
        replace(file, content, true);
    }

    /**
     * Replaces {@code file} atomically with a 0600 file holding {@code content}; {@code sync} false
     * skips the flush to disk, for files whose older version is an acceptable outcome of a crash.
     */
    public static void replace(Path file, byte[] content, boolean sync) throws IOException {
        AtomicFile written = AtomicFile.ownerOnly(file);
        (sync ? written : written.unsynced()).write(content);
    }

    /**
     * Reads a secret file, refusing one that others may read or write: whoever could read it
     * may already have the secret, and the operator has to decide what that means.
     */
    public static Optional<byte[]> read(Path file) throws IOException {
        if (!Files.exists(file)) return Optional.empty();
        var mode = Files.getPosixFilePermissions(file);
        if (!FILE.containsAll(mode)) {
            throw new IOException(file + " is readable or writable by other users (mode "
                    + PosixFilePermissions.toString(mode) + "); it holds a secret: check who may have read it, then chmod 600 it");
        }
        return Optional.of(Files.readAllBytes(file));
    }
}
