package dev.berth.platform.audit;

import dev.berth.platform.database.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where one platform instance keeps its {@link AuditCheckpoint}: a small owner-only file beside
 * the audit key ({@code audit.key} → {@code audit.checkpoint}), replaced atomically after each
 * appended batch.
 *
 * <p>Not synced per write: the event is durably committed in the database before the file is
 * written, so the file never names an event the log lacks; a crash that loses the latest write
 * leaves the previous checkpoint, an earlier genuine link that still verifies, and only the
 * events after it go unguarded until the next append. An fsync would add a disk flush to every
 * append for that window.
 *
 * <p>Each instance keeps its own file (each in its own data directory) even when several share
 * one database: each checks that the log still reaches what it appended itself. Deleting the
 * file loses that check (a missing file means "nothing appended here yet"), which is why it sits
 * in the owner-only directory of the key.
 */
public final class AuditCheckpointFile {
    private final Path file;
    private final AuditKey key;

    public AuditCheckpointFile(Path file, AuditKey key) {
        this.file = file;
        this.key = key;
    }

    /** The checkpoint file that belongs beside {@code keyFile}. */
    public static Path besideKey(Path keyFile) {
        String name = keyFile.getFileName().toString();
        String base = name.endsWith(".key") ? name.substring(0, name.length() - ".key".length()) : name;
        return keyFile.resolveSibling(base + ".checkpoint");
    }

    public Path path() {
        return file;
    }

    /** Reads the file; never fails, an unreadable or widened file is {@link AuditCheckpoint.Invalid}. */
    public AuditCheckpoint.Read read() {
        try {
            return OwnerOnlyFiles.read(file)
                    .map(text -> AuditCheckpoint.decode(text, key, file.toString()))
                    .orElseGet(AuditCheckpoint.None::new);
        } catch (IOException e) {
            return new AuditCheckpoint.Invalid(0, "the audit checkpoint " + file + " cannot be trusted: " + e.getMessage());
        }
    }

    /** Replaces the file with {@code checkpoint}, created 0600 and renamed into place, not synced (see above). */
    public void write(AuditCheckpoint checkpoint) throws IOException {
        OwnerOnlyFiles.replace(file, checkpoint.encode(key), false);
    }
}
