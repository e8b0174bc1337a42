package dev.berth.agent.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Makes a snapshot safe for the runtime, which mounts over /dev, /proc and /sys and bind-mounts
 * files onto /etc/hosts, /etc/resolv.conf and /etc/hostname: a symlink there would aim those
 * mounts wherever the image likes, so each must be a real directory or regular file.
 */
final class RootfsFixups {
    static final List<String> DIRECTORIES = List.of("dev", "proc", "sys", "etc");
    static final List<String> FILES = List.of("etc/hosts", "etc/resolv.conf", "etc/hostname");

    private RootfsFixups() {
    }

    static void apply(Path root, ReportBuilder report) throws IOException {
        // etc first among directories is not needed: "etc" is fixed before any etc/* file is looked at.
        for (String d : DIRECTORIES) {
            Path p = root.resolve(d);
            BasicFileAttributes a = lstat(p);
            if (a != null && a.isDirectory()) continue;
            if (a != null) {
                Trees.delete(p);
                report.neutralised(d, describe(a) + " replaced by an empty directory");
            }
            Files.createDirectory(p);
            setMetadata(p, 0755);
        }
        for (String f : FILES) {
            Path p = root.resolve(f);
            BasicFileAttributes a = lstat(p);
            if (a != null && a.isRegularFile()) continue;
            if (a != null) {
                Trees.delete(p);
                report.neutralised(f, describe(a) + " replaced by an empty file");
            }
            Files.createFile(p);
            setMetadata(p, 0644);
        }
    }

    private static void setMetadata(Path p, int mode) throws IOException {
        Files.setAttribute(p, "unix:mode", mode, Trees.NOFOLLOW);
        Files.setAttribute(p, "unix:uid", 0, Trees.NOFOLLOW);
        Files.setAttribute(p, "unix:gid", 0, Trees.NOFOLLOW);
    }

    private static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, Trees.NOFOLLOW);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static String describe(BasicFileAttributes a) {
        if (a.isSymbolicLink()) return "symlink";
        if (a.isDirectory()) return "directory";
        if (a.isRegularFile()) return "file";
        return "special file";
    }
}
