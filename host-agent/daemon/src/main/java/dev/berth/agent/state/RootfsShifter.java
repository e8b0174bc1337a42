package dev.berth.agent.state;

import dev.berth.agent.bundle.IdRange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Makes a root filesystem readable for an app's id range. runc 1.1 has no idmapped mounts, so the
 * tree is copied once per (source, range) with every owner moved into the range, and cached:
 * the second start of the same app reuses the copy and touches nothing. A source directory is
 * treated as immutable: the cache is keyed by its path, which for images is the snapshot named
 * after their layers' digests.
 */
public final class RootfsShifter {
    private static final String MARKER = ".berth-shifted";
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path cacheDir;

    public RootfsShifter(Path stateDir) {
        this.cacheDir = stateDir.resolve("rootfs");
    }

    /** The shifted tree, and whether this call had to build it. */
    public record Shifted(Path rootfs, boolean built, List<String> skipped) {
    }

    public synchronized Shifted prepare(Path source, IdRange range) throws IOException {
        Path src = source.toRealPath();
        if (!Files.isDirectory(src)) throw new IOException("rootfs " + source + " is not a directory");
        Path target = cacheDir.resolve(key(src) + "-" + range.hostStart());
        Path marker = target.resolve(MARKER);
        if (Files.exists(marker) && Files.readString(marker).equals(src.toString())) {
            return new Shifted(target.resolve("rootfs"), false, List.of());
        }
        Files.createDirectories(cacheDir);
        // Container root is an unprivileged host uid: it must be able to pass through to its rootfs.
        Files.setPosixFilePermissions(cacheDir, PosixFilePermissions.fromString("rwx--x--x"));
        Path staging = cacheDir.resolve(".staging-" + UUID.randomUUID());
        Files.createDirectory(staging, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        try {
            var skipped = copyShifted(src, staging.resolve("rootfs"), range);
            Files.writeString(staging.resolve(MARKER), src.toString(), StandardCharsets.UTF_8);
            deleteTree(target);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return new Shifted(target.resolve("rootfs"), true, skipped);
        } catch (IOException | RuntimeException e) {
            deleteTree(staging);
            throw e;
        }
    }

    /**
     * Removes shifted copies that no container uses, and staging leftovers of interrupted copies.
     *
     * @param inUse the shifted root filesystems containers' bundles name
     * @return the directories removed
     */
    public synchronized List<String> prune(java.util.Set<Path> inUse) throws IOException {
        var removed = new ArrayList<String>();
        if (!Files.isDirectory(cacheDir)) return removed;
        try (Stream<Path> dirs = Files.list(cacheDir)) {
            for (Path dir : dirs.toList()) {
                if (inUse.contains(dir.resolve("rootfs"))) continue;
                deleteTree(dir);
                removed.add(dir.toString());
            }
        }
        return removed;
    }

    private static List<String> copyShifted(Path src, Path dst, IdRange range) throws IOException {
        var skipped = new ArrayList<String>();
        Files.walkFileTree(src, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path to = dst.resolve(src.relativize(dir).toString());
                Files.createDirectory(to);
                shift(dir, to, range);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path to = dst.resolve(src.relativize(file).toString());
                if (attrs.isSymbolicLink()) {
                    Files.createSymbolicLink(to, Files.readSymbolicLink(file));
                } else if (attrs.isRegularFile()) {
                    Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES, NOFOLLOW);
                } else {
                    // Device nodes, FIFOs and sockets have no place in an image; /dev comes from the runtime.
                    skipped.add("/" + src.relativize(file));
                    return FileVisitResult.CONTINUE;
                }
                shift(file, to, range);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) throw e;
                // Directory times and modes are set after their contents are written.
                Path to = dst.resolve(src.relativize(dir).toString());
                var attrs = Files.readAttributes(dir, PosixFileAttributes.class, NOFOLLOW);
                Files.setPosixFilePermissions(to, attrs.permissions());
                Files.setLastModifiedTime(to, attrs.lastModifiedTime());
                return FileVisitResult.CONTINUE;
            }
        });
        return skipped;
    }

    /** Moves the copy's owner into the range (lchown: links are never followed). */
    private static void shift(Path from, Path to, IdRange range) throws IOException {
        int uid = (Integer) Files.getAttribute(from, "unix:uid", NOFOLLOW);
        int gid = (Integer) Files.getAttribute(from, "unix:gid", NOFOLLOW);
        if (uid >= range.size() || gid >= range.size()) {
            throw new IOException(from + " is owned by " + uid + ":" + gid + ", outside the container's ids 0-"
                    + (range.size() - 1));
        }
        Files.setAttribute(to, "unix:uid", (int) (range.hostStart() + uid), NOFOLLOW);
        Files.setAttribute(to, "unix:gid", (int) (range.hostStart() + gid), NOFOLLOW);
        if (!Files.isSymbolicLink(to)) {
            // Only the rwx bits come back: setuid and setgid stay cleared (no_new_privs voids them anyway).
            Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from, NOFOLLOW));
        }
    }

    private static String key(Path source) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(source.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, NOFOLLOW)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
