package dev.berth.agent.runtime;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A container's output file, capped by rotation: past {@code maxBytes} it is copied to
 * {@code .1} (older copies shift up, {@code keep} are kept) and truncated in place. The container
 * writes with O_APPEND, so it carries on at the new end; a write that lands between the copy and
 * the truncation is lost, the price of not routing output through the agent.
 */
public record LogFile(Path path, long maxBytes, int keep) {

    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY =
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");

    /**
     * Creates a log file readable by root alone (what a container prints may be secret), or makes
     * an existing one so (an older agent's, created with the umask's mode).
     */
    public static void createPrivate(Path file) throws IOException {
        try {
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (java.nio.file.FileAlreadyExistsException exists) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    /** Rotates if the file has grown past its cap; returns whether it did. */
    public boolean rotateIfNeeded() throws IOException {
        if (!Files.exists(path) || Files.size(path) <= maxBytes) return false;
        for (int i = keep; i >= 1; i--) {
            Path older = rotated(i);
            if (i == keep) Files.deleteIfExists(older);
            else if (Files.exists(older)) Files.move(older, rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
        }
        if (keep >= 1) {
            Path copy = rotated(1);
            Files.deleteIfExists(copy);
            createPrivate(copy);
            Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(copy, OWNER_ONLY);
        }
        try (var f = new RandomAccessFile(path.toFile(), "rw")) {
            f.setLength(0);
        }
        return true;
    }

    public Path rotated(int n) {
        return path.resolveSibling(path.getFileName() + "." + n);
    }
}
