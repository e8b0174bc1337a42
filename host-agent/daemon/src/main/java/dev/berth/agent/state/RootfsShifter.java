package dev.berth.agent.state;

import dev.berth.agent.bundle.IdRange;
import dev.berth.atomicfile.AtomicFile;
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
 * tree is copied once per (source, state of the source, range) with every owner moved into the
 * range, and cached: the second start of the same app on an unchanged tree reuses the copy and
 * touches nothing. A directory given by hand may change between starts, so its state is a digest
 * of a walk over it (paths, types, sizes, modification and change times, modes, owners, link
 * targets); a change makes a new copy beside the old one, which a container may still run from
 * (image gc removes copies no container uses). An image's snapshot is named after its layers'
 * digests and never changes, so it is not walked.
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

    /** {@link #prepare(Path, IdRange, boolean)} of a directory that may have changed since the last start. */
    public Shifted prepare(Path source, IdRange range) throws IOException {
        return prepare(source, range, true);
    }

    /**
     * @param mayChange false for an image's snapshot, which never changes; true walks the source
     *                  to see whether the copy made earlier still matches it
     */
    public synchronized Shifted prepare(Path source, IdRange range, boolean mayChange) throws IOException {
        Path src = source.toRealPath();
        if (!Files.isDirectory(src)) throw new IOException("rootfs " + source + " is not a directory");
        String identity = mayChange ? src + "\n" + stamp(src) : src.toString();
        Path target = cacheDir.resolve(key(identity) + "-" + range.hostStart());
        Path marker = target.resolve(MARKER);
        if (Files.exists(marker) && Files.readString(marker).equals(identity)) {
            return new Shifted(target.resolve("rootfs"), false, List.of());
        }
        Files.createDirectories(cacheDir);
        // Container root is an unprivileged host uid: it must be able to pass through to its rootfs.
        Files.setPosixFilePermissions(cacheDir, PosixFilePermissions.fromString("rwx--x--x"));
        Path staging = cacheDir.resolve(".staging-" + UUID.randomUUID());
        Files.createDirectory(staging, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        try {
            var skipped = copyShifted(src, staging.resolve("rootfs"), range);
            Files.writeString(staging.resolve(MARKER), identity, StandardCharsets.UTF_8);
            deleteTree(target);
            AtomicFile.moveDirectoryIntoPlace(staging, target);
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

    /**
     * A digest of what the copy depends on, from one walk that follows no link: each entry's path,
     * type, size, modification and change times (nanoseconds), mode, owner and link target. A
     * write changes the change time even when the modification time is set back.
     */
    static String stamp(Path src) throws IOException {
        MessageDigest digest = sha256();
        try (Stream<Path> paths = Files.walk(src)) {
            for (Path p : paths.sorted().toList()) {
                var a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime,ctime,isSymbolicLink", NOFOLLOW);
                var line = new StringBuilder(src.relativize(p).toString()).append('\0')
                        .append(a.get("mode")).append(' ').append(a.get("uid")).append(' ').append(a.get("gid")).append(' ')
                        .append(a.get("size")).append(' ')
                        .append(((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).to(java.util.concurrent.TimeUnit.NANOSECONDS))
                        .append(' ')
                        .append(((java.nio.file.attribute.FileTime) a.get("ctime")).to(java.util.concurrent.TimeUnit.NANOSECONDS));
                if (Boolean.TRUE.equals(a.get("isSymbolicLink"))) line.append(" -> ").append(Files.readSymbolicLink(p));
                digest.update(line.append('\n').toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String key(String identity) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
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
