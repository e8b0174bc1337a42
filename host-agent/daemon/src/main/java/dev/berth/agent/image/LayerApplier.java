package dev.berth.agent.image;

import dev.berth.agent.image.RootedPath.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Applies one layer's tar stream to a private root directory with OCI changeset semantics.
 *
 * <p>Every entry is written below a parent resolved inside the root by {@link RootedPath}, and
 * its final component is never followed: files are created with O_EXCL, links with
 * symlink/link, which do not follow either. Inodes that already exist may be shared by hard link
 * with older snapshots, so they are never changed in place: an entry that replaces one unlinks it
 * first. Only directories (private copies) have their metadata updated.
 *
 * <p>The root is private to one build and nothing else writes there, so checking then acting
 * on a path is not racy.
 */
final class LayerApplier {
    static final int COPY_BUFFER = 1 << 20;
    /** Snapshot ids are shifted into a 65536-id range per app; larger ids cannot be mapped. */
    static final long ID_LIMIT = 65536;
    private static final String STREAM = "layer stream";
    private static final Set<OpenOption> CREATE_NEW = Set.of(StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE, Trees.NOFOLLOW);

    private record DirTime(String path, FileTime mtime) {
    }

    private final Path root;
    private final UnpackLimits limits;
    private final ReportBuilder report;
    private final EntryMetadata metadata;
    private final RootedPath.Tree tree = new FsTree();
    /** Resolved paths this layer created or updated: what an opaque marker keeps. */
    private final Set<String> fromThisLayer = new HashSet<>();
    /** Entry parent (as named in the tar) to its resolved, existing directory; emptied on any removal. */
    private final Map<String, String> parents = new HashMap<>();
    private final List<DirTime> dirTimes = new ArrayList<>();
    private final byte[] buffer = new byte[COPY_BUFFER];

    /** See {@link EntryMetadata} for {@code umask} and {@code newFilesOwnedByRoot}. */
    LayerApplier(Path root, UnpackLimits limits, ReportBuilder report, int umask, boolean newFilesOwnedByRoot) {
        this.root = root;
        this.limits = limits;
        this.report = report;
        this.metadata = new EntryMetadata(report, umask, newFilesOwnedByRoot);
    }

    void apply(TarArchiveInputStream tar) throws IOException {
        TarArchiveEntry e;
        while ((e = next(tar)) != null) {
            if (++report.entries > limits.maxEntries()) {
                throw new LayerRejected(e.getName(), "layer has more than " + limits.maxEntries() + " entries");
            }
            try {
                applyEntry(tar, e);
            } catch (LayerRejected r) {
                throw r;
            } catch (InvalidPathException x) {
                throw new LayerRejected(e.getName(), "name cannot be a file name here: " + x.getMessage(), x);
            } catch (IOException x) {
                throw new IOException(e.getName() + ": " + x, x);
            }
        }
    }

    /** Sets the times of directories the layer named, last: writing into them moved their mtime. */
    void finishDirectoryTimes() throws IOException {
        for (DirTime d : dirTimes.reversed()) {
            Path p = resolve(d.path());
            if (Files.isDirectory(p, Trees.NOFOLLOW)) EntryMetadata.setTimes(p, d.mtime());
        }
    }

    private void applyEntry(TarArchiveInputStream tar, TarArchiveEntry e) throws IOException {
        EntryPath path = EntryPath.clean(e.getName());
        switch (WhiteoutName.of(path)) {
            case WhiteoutName.Remove r -> whiteout(r.target());
            case WhiteoutName.Opaque o -> opaque(o.dir());
            case WhiteoutName.Meta m -> report.skipped(path.toString(), "aufs metadata skipped");
            case WhiteoutName.Plain p -> extract(tar, e, path);
        }
    }

    private void extract(TarArchiveInputStream tar, TarArchiveEntry e, EntryPath path) throws IOException {
        String name = path.toString();
        if (e.isCharacterDevice()) {
            report.skipped(name, "character device skipped");
            return;
        }
        if (e.isBlockDevice()) {
            report.skipped(name, "block device skipped");
            return;
        }
        if (e.isFIFO()) {
            report.skipped(name, "FIFO skipped");
            return;
        }
        boolean hardlink = e.isLink();
        boolean symlink = !hardlink && e.isSymbolicLink();
        boolean dir = !hardlink && !symlink && e.isDirectory();
        boolean file = !hardlink && !symlink && !dir && e.isFile();
        if (!(hardlink || symlink || dir || file)) {
            throw new LayerRejected(name, "unsupported entry type '" + (char) e.getLinkFlag() + "'");
        }
        long uid = e.getLongUserId();
        long gid = e.getLongGroupId();
        if (uid < 0 || uid >= ID_LIMIT || gid < 0 || gid >= ID_LIMIT) {
            throw new LayerRejected(name, "owner " + uid + ":" + gid + " is outside 0-" + (ID_LIMIT - 1)
                    + " and cannot be mapped into an app's id range");
        }
        if (path.isRoot()) {
            if (!dir) throw new LayerRejected(e.getName(), "entry would replace the layer root");
            setDirectoryMetadata(root, "", e, metadata.safeMode(e, "/"), false);
            return;
        }
        String rel = child(ensureParent(path), path.name());
        Path target = resolve(rel);
        if (dir) {
            directory(e, name, rel, target);
        } else if (file) {
            regularFile(tar, e, name, target);
        } else if (symlink) {
            symlink(e, name, target);
        } else {
            hardlink(e, name, rel, target);
        }
        markFromThisLayer(rel);
    }

    /** An entry keeps its ancestors too: an opaque marker must not remove the directories it sits in. */
    private void markFromThisLayer(String rel) {
        String p = rel;
        while (!p.isEmpty() && fromThisLayer.add(p)) {
            int slash = p.lastIndexOf('/');
            p = slash < 0 ? "" : p.substring(0, slash);
        }
    }

    private void directory(TarArchiveEntry e, String name, String rel, Path target) throws IOException {
        int mode = metadata.safeMode(e, name);
        boolean fresh = true;
        try {
            Files.createDirectory(target, EntryMetadata.perms(mode));
        } catch (FileAlreadyExistsException x) {
            if (kind(target) == Kind.DIRECTORY) {
                fresh = false;
            } else {
                replace(target);
                Files.createDirectory(target, EntryMetadata.perms(mode));
            }
        }
        setDirectoryMetadata(target, rel, e, mode, fresh);
    }

    private void setDirectoryMetadata(Path dir, String rel, TarArchiveEntry e, int mode, boolean fresh)
            throws IOException {
        if (!fresh || metadata.needsChmod(mode)) Files.setAttribute(dir, "unix:mode", mode, Trees.NOFOLLOW);
        metadata.setOwner(dir, e, fresh);
        dirTimes.add(new DirTime(rel, e.getLastModifiedTime()));
    }

    private void regularFile(TarArchiveInputStream tar, TarArchiveEntry e, String name, Path target)
            throws IOException {
        long size = e.getSize();
        if (size < 0) throw new LayerRejected(name, "negative size " + size);
        if (size > limits.maxBytes() - report.bytes) {
            throw new LayerRejected(name, "declared size " + size + " bytes takes the layer over its limit of "
                    + limits.maxBytes() + " bytes");
        }
        int mode = metadata.safeMode(e, name);
        long written = 0;
        try (FileChannel out = createFile(target, mode)) {
            int n;
            while ((n = read(tar, name)) > 0) {
                ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
                while (b.hasRemaining()) out.write(b);
                written += n;
            }
        }
        if (written != size) throw new LayerRejected(name, "content ended after " + written + " of " + size + " bytes");
        report.bytes += written;
        if (metadata.needsChmod(mode)) Files.setAttribute(target, "unix:mode", mode, Trees.NOFOLLOW);
        metadata.setOwner(target, e, true);
        EntryMetadata.setTimes(target, e.getLastModifiedTime());
    }

    private FileChannel createFile(Path target, int mode) throws IOException {
        try {
            return FileChannel.open(target, CREATE_NEW, EntryMetadata.perms(mode));
        } catch (FileAlreadyExistsException x) {
            replace(target);
            return FileChannel.open(target, CREATE_NEW, EntryMetadata.perms(mode));
        }
    }

    private void symlink(TarArchiveEntry e, String name, Path target) throws IOException {
        String text = e.getLinkName();
        // Any text is fine: it is only ever resolved inside the root, and never while writing.
        if (text == null || text.isEmpty()) throw new LayerRejected(name, "symlink has an empty target");
        if (text.indexOf('\0') >= 0) throw new LayerRejected(name, "symlink target contains a NUL byte");
        Path link = root.getFileSystem().getPath(text);
        try {
            Files.createSymbolicLink(target, link);
        } catch (FileAlreadyExistsException x) {
            replace(target);
            Files.createSymbolicLink(target, link);
        }
        metadata.setOwner(target, e, true);
        EntryMetadata.setTimes(target, e.getLastModifiedTime());
    }

    private void hardlink(TarArchiveEntry e, String name, String rel, Path target) throws IOException {
        EntryPath linkPath;
        try {
            linkPath = EntryPath.clean(e.getLinkName());
        } catch (LayerRejected r) {
            throw new LayerRejected(name, "hard link target '" + e.getLinkName() + "' escapes the layer root");
        }
        if (linkPath.isRoot()) throw new LayerRejected(name, "hard link to the layer root");
        // Like the entry itself, the link target's last component is not followed.
        RootedPath.Resolution r = RootedPath.resolve(tree, linkPath.components(), false);
        if (r.kind() != Kind.FILE && r.kind() != Kind.SYMLINK) {
            String what = switch (r.kind()) {
                case MISSING -> "does not exist in the layer root";
                case DIRECTORY -> "is a directory";
                default -> "is a special file";
            };
            throw new LayerRejected(name, "hard link target '" + e.getLinkName() + "' " + what);
        }
        if (r.joined().equals(rel)) return; // a link to itself: already there
        Path existing = resolve(r.joined());
        try {
            Files.createLink(target, existing);
        } catch (FileAlreadyExistsException x) {
            replace(target);
            Files.createLink(target, existing);
        }
    }

    private void whiteout(EntryPath victim) throws IOException {
        RootedPath.Resolution parent = RootedPath.resolve(tree, victim.parent().components(), true);
        if (parent.kind() != Kind.DIRECTORY) return; // nothing below to hide
        String rel = child(parent.joined(), victim.name());
        // Whiteouts hide lower layers only; an entry of this same layer stays (image-spec).
        if (fromThisLayer.contains(rel)) return;
        Path p = resolve(rel);
        if (kind(p) != Kind.MISSING) replace(p);
    }

    private void opaque(EntryPath dir) throws IOException {
        String rel = ensureParent(dir.child(WhiteoutName.OPAQUE));
        hideLower(rel);
    }

    /** Removes everything under a resolved directory that this layer did not write, keeping its own subtrees' own entries. */
    private void hideLower(String rel) throws IOException {
        var children = new ArrayList<Path>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(resolve(rel))) {
            for (Path c : s) children.add(c);
        }
        for (Path c : children) {
            String crel = child(rel, c.getFileName().toString());
            if (!fromThisLayer.contains(crel)) {
                replace(c);
            } else if (kind(c) == Kind.DIRECTORY) {
                hideLower(crel);
            }
        }
    }

    /** The resolved directory an entry goes into, creating missing directories (0755 root) like Docker. */
    private String ensureParent(EntryPath path) throws IOException {
        EntryPath parent = path.parent();
        String key = parent.toString();
        String cached = parents.get(key);
        if (cached != null) return cached;
        RootedPath.Resolution r = RootedPath.resolve(tree, parent.components(), true);
        switch (r.kind()) {
            case DIRECTORY -> {
            }
            case MISSING -> makeDirectories(path, r.path());
            default -> throw new LayerRejected(path.toString(), r.joined() + " is not a directory");
        }
        String resolved = r.joined();
        parents.put(key, resolved);
        return resolved;
    }

    private void makeDirectories(EntryPath forEntry, List<String> dirs) throws IOException {
        for (int i = 1; i <= dirs.size(); i++) {
            List<String> prefix = dirs.subList(0, i);
            Kind k = tree.kind(prefix);
            if (k == Kind.DIRECTORY) continue;
            String rel = String.join("/", prefix);
            if (k != Kind.MISSING) throw new LayerRejected(forEntry.toString(), rel + " is not a directory");
            Path p = resolve(rel);
            Files.createDirectory(p, EntryMetadata.perms(0755));
            if (metadata.needsChmod(0755)) Files.setAttribute(p, "unix:mode", 0755, Trees.NOFOLLOW);
            metadata.ownedByRoot(p);
            markFromThisLayer(rel);
        }
    }

    /** Unlinks (or removes recursively) what is at a path so a new inode can take its place. */
    private void replace(Path p) throws IOException {
        Trees.delete(p);
        parents.clear();
    }

    private int read(TarArchiveInputStream tar, String name) throws IOException {
        try {
            return tar.read(buffer, 0, buffer.length);
        } catch (LayerRejected r) {
            throw r;
        } catch (IOException x) {
            throw new LayerRejected(name, "corrupt or truncated layer: " + x.getMessage(), x);
        }
    }

    private static TarArchiveEntry next(TarArchiveInputStream tar) throws IOException {
        try {
            return tar.getNextEntry();
        } catch (LayerRejected r) {
            throw r;
        } catch (IOException | RuntimeException x) {
            if (x.getCause() instanceof LayerRejected r) throw r;
            throw new LayerRejected(STREAM, "corrupt or truncated layer: " + x.getMessage(), x);
        }
    }

    private Path resolve(String rel) {
        return rel.isEmpty() ? root : root.resolve(rel);
    }

    private static String child(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    private static Kind kind(Path p) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class, Trees.NOFOLLOW);
        } catch (NoSuchFileException x) {
            return Kind.MISSING;
        }
        if (a.isSymbolicLink()) return Kind.SYMLINK;
        if (a.isDirectory()) return Kind.DIRECTORY;
        if (a.isRegularFile()) return Kind.FILE;
        return Kind.OTHER;
    }

    /** The real tree under the root, read with lstat. */
    private final class FsTree implements RootedPath.Tree {
        @Override
        public Kind kind(List<String> path) throws IOException {
            return LayerApplier.kind(resolve(String.join("/", path)));
        }

        @Override
        public String readLink(List<String> path) throws IOException {
            return Files.readSymbolicLink(resolve(String.join("/", path))).toString();
        }
    }
}
