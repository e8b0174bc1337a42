package dev.berth.agent.image;

import dev.berth.atomicfile.AtomicFile;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Builds unpacked layer snapshots: snapshot(L1..Ln) is snapshot(L1..Ln-1) with layer Ln applied.
 * A snapshot is built in a temporary directory next to its target and renamed into place, so a
 * target either exists complete or not at all. Ownership is the tar's ids as they are; the
 * runtime copies a snapshot into an app's id range before a container sees it.
 */
public final class LayerSnapshots {
    private static final int READ_BUFFER = 1 << 20;
    private static final String TEMP_INFIX = ".unpacking-";

    private LayerSnapshots() {
    }

    /**
     * Builds target atomically: a temp dir next to target that starts as a hard-link copy of parent
     * (directories copied, files hard-linked; parent may be null for the first layer), applies the
     * layer (OCI image-spec changeset semantics), fixes up the rootfs (/dev, /proc, /sys, /etc real
     * directories; /etc/hosts, /etc/resolv.conf, /etc/hostname real files), then renames to target.
     * On any failure nothing is left (temp removed) and target does not exist.
     *
     * @param parent    the snapshot below this layer, or null for the first layer; only read, and on the
     *                  same filesystem as target (its files are hard-linked)
     * @param layerBlob the layer as stored (tar, tar+gzip or tar+zstd)
     * @param mediaType the layer's media type, or null to go by the blob's first bytes
     * @param target    where the snapshot goes; must not exist, its parent directory must. Callers
     *                  serialise builds of one target: the existence check and the final rename are
     *                  not one atomic step
     * @throws LayerRejected              if the layer is hostile, corrupt or over the limits
     * @throws FileAlreadyExistsException if target exists
     */
    public static UnpackReport build(Path parent, Path layerBlob, String mediaType, Path target, UnpackLimits limits)
            throws IOException {
        Objects.requireNonNull(layerBlob, "layerBlob");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(limits, "limits");
        Path dest = target.toAbsolutePath().normalize();
        if (Files.exists(dest, Trees.NOFOLLOW)) throw new FileAlreadyExistsException(dest.toString());
        if (parent != null && !Files.isDirectory(parent, Trees.NOFOLLOW)) {
            throw new NotDirectoryException(parent.toString());
        }
        Path temp = dest.resolveSibling("." + dest.getFileName() + TEMP_INFIX + UUID.randomUUID());
        // Created 0777 so the mode the kernel gives it reveals the umask that trims new files' modes.
        Files.createDirectory(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        try {
            Map<String, Object> a = Files.readAttributes(temp, "unix:mode,uid,gid", Trees.NOFOLLOW);
            int umask = 0777 & ~(Integer) a.get("mode");
            boolean rootOwnsNewFiles = (Integer) a.get("uid") == 0 && (Integer) a.get("gid") == 0;
            var report = new ReportBuilder();
            if (parent == null) {
                Files.setAttribute(temp, "unix:mode", 0755, Trees.NOFOLLOW);
                if (!rootOwnsNewFiles) {
                    Files.setAttribute(temp, "unix:uid", 0, Trees.NOFOLLOW);
                    Files.setAttribute(temp, "unix:gid", 0, Trees.NOFOLLOW);
                }
            } else {
                HardLinkCopy.copy(parent, temp, report);
            }
            var applier = new LayerApplier(temp, limits, report, umask, rootOwnsNewFiles);
            applyBlob(layerBlob, mediaType, limits, applier);
            RootfsFixups.apply(temp, report);
            applier.finishDirectoryTimes();
            AtomicFile.moveDirectoryIntoPlace(temp, dest);
            return report.build();
        } catch (Throwable t) {
            try {
                Trees.delete(temp);
            } catch (IOException | RuntimeException e) {
                t.addSuppressed(e);
            }
            throw t;
        }
    }

    private static void applyBlob(Path blob, String mediaType, UnpackLimits limits, LayerApplier applier)
            throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(blob), READ_BUFFER)) {
            raw.mark(8);
            byte[] head = raw.readNBytes(4);
            raw.reset();
            LayerCompression compression = LayerCompression.of(mediaType, head);
            BoundedStream data;
            try {
                data = new BoundedStream(compression.decompress(raw), limits.maxStreamBytes());
            } catch (IOException e) {
                throw new LayerRejected("layer stream", "not a valid " + compression + " stream: " + e.getMessage(), e);
            }
            applier.apply(new TarArchiveInputStream(data, "UTF-8"));
            drain(data);
            // The tar reader takes a stream that stops inside a header for the end; a tar is whole blocks.
            if (data.count() % 512 != 0) {
                throw new LayerRejected("layer stream", "truncated archive: " + data.count()
                        + " bytes is not a whole number of 512-byte blocks");
            }
        }
    }

    /** Reads what follows the tar's end so a gzip or zstd trailer (CRC) is checked too. */
    private static void drain(InputStream data) throws IOException {
        try {
            data.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (LayerRejected r) {
            throw r;
        } catch (IOException e) {
            throw new LayerRejected("layer stream", "corrupt layer after the archive's end: " + e.getMessage(), e);
        }
    }

    /** Whether a name in a snapshot directory is a build in progress (or left by a crash): safe to delete. */
    public static boolean isTemporary(Path p) {
        String n = p.getFileName().toString();
        return n.startsWith(".") && n.contains(TEMP_INFIX);
    }
}
