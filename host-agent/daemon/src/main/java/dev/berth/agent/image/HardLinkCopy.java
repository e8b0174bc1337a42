package dev.berth.agent.image;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * Starts a snapshot as a copy of its parent that costs no file data: directories are real copies
 * (their metadata and entries belong to the new snapshot), files and symlinks are hard links to
 * the parent's inodes, which therefore must never be changed in place.
 */
final class HardLinkCopy {
    private HardLinkCopy() {
    }

    /** Fills the existing, empty directory {@code to} with a copy of {@code from}. */
    static void copy(Path from, Path to, ReportBuilder report) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(from)) Files.createDirectory(to.resolve(from.relativize(dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path rel = from.relativize(file);
                if (attrs.isRegularFile() || attrs.isSymbolicLink()) {
                    // link(2) on Linux links a symlink itself, never its target.
                    Files.createLink(to.resolve(rel), file);
                } else {
                    report.skipped(rel.toString(), "special file in the parent snapshot skipped");
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) throw e;
                // After the entries, so creating them does not move the copied mtime.
                copyDirectoryMetadata(dir, to.resolve(from.relativize(dir)));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void copyDirectoryMetadata(Path from, Path to) throws IOException {
        Map<String, Object> a = Files.readAttributes(from, "unix:mode,uid,gid,lastModifiedTime", Trees.NOFOLLOW);
        Files.setAttribute(to, "unix:mode", (Integer) a.get("mode") & 07777, Trees.NOFOLLOW);
        Files.setAttribute(to, "unix:uid", a.get("uid"), Trees.NOFOLLOW);
        Files.setAttribute(to, "unix:gid", a.get("gid"), Trees.NOFOLLOW);
        FileTime mtime = (FileTime) a.get("lastModifiedTime");
        Files.getFileAttributeView(to, BasicFileAttributeView.class, Trees.NOFOLLOW).setTimes(mtime, mtime, null);
    }
}
