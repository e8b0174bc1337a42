package dev.berth.platform.audit;

import dev.berth.platform.database.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one platform instance keeps its {@link AuditCheckpoint}: a small owner-only file beside
 * the audit key ({@code audit.key} → {@code audit.checkpoint}), replaced atomically after each
 * appended batch.
 *
 * <p>Written off the append path and coalesced: an append hands its checkpoint over
 * ({@link #offer}), and one writer thread writes the newest one handed over at most every
 * {@value #COALESCE_MILLIS} ms. A replace costs ~0.2 ms and, on ext4, starts write-back that
 * competes with the database's own commit flushes; once per append that halved single-writer
 * appends in AuditAppendBenchmark. The running platform checks against the checkpoint in memory,
 * which is exact; the file only has to carry it over a restart. Not synced either: the event is
 * durably committed in the database before its checkpoint is offered, so the file never names an
 * event the log lacks; a crash that loses the latest write (or one still waiting) leaves the
 * previous checkpoint, an earlier genuine link that still verifies, and only the events after it
 * (at most the last {@value #COALESCE_MILLIS} ms of them) go unguarded. {@link #close}, when the
 * platform stops, writes what is still waiting.
 *
 * <p>Each instance keeps its own file (each in its own data directory) even when several share
 * one database: each checks that the log still reaches what it appended itself. Deleting the
 * file loses that check (a missing file means "nothing appended here yet"), which is why it sits
 * in the owner-only directory of the key.
 */
public final class AuditCheckpointFile implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditCheckpointFile.class);

    private final Path file;
    private final AuditKey key;
    /** The newest checkpoint handed over and not yet taken by the writer. */
    private final AtomicReference<AuditCheckpoint> queued = new AtomicReference<>();
    static final long COALESCE_MILLIS = 200;
    /** One thread, so writes happen in the order they were taken, and checkpoints only grow. */
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("audit-checkpoint").factory());

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

    /**
     * Has {@code checkpoint} written within {@value #COALESCE_MILLIS} ms, replacing any handed
     * over before it and not yet written; callers hand over checkpoints in increasing order.
     */
    public void offer(AuditCheckpoint checkpoint) {
        if (queued.getAndSet(checkpoint) != null) return; // the writer has yet to take the one before: it takes this one
        try {
            writer.schedule(this::writeQueued, COALESCE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            writeQueued();
        }
    }

    private void writeQueued() {
        AuditCheckpoint next = queued.getAndSet(null);
        if (next == null) return;
        try {
            write(next);
        } catch (IOException | RuntimeException e) {
            // The events are committed; the previous checkpoint still stands, and the next batch tries again.
            log.warn("could not write the audit checkpoint {}: {}", file, e.toString());
        }
    }

    /** Replaces the file with {@code checkpoint} now, created 0600 and renamed into place, not synced (see above). */
    public void write(AuditCheckpoint checkpoint) throws IOException {
        OwnerOnlyFiles.replace(file, checkpoint.encode(key), false);
    }

    /** Writes what is still waiting and stops the writer (delayed writes still run on shutdown). */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) log.warn("the audit checkpoint {} is still being written", file);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeQueued();
    }
}
