package dev.berth.registry;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A blob could not be written where it was to be kept: the local disk failed (it is full, or
 * read-only), not the registry or the network. Such a failure is not retried, since downloading
 * the blob again would only fill the disk again; the cause carries the kernel's reason.
 */
public final class BlobNotStored extends IOException {
    private final Path target;

    BlobNotStored(String blob, Path target, IOException cause) {
        super("cannot store " + blob + " at " + target + ": " + cause.getMessage(), cause);
        this.target = target;
    }

    /** Where the blob was to be written. */
    public Path target() {
        return target;
    }
}
