package dev.berth.agent.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A comparable description of every entry under a directory: type, mode, owner, size, mtime, content or link text. */
final class TreeState {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private TreeState() {
    }

    /** Everything, directory times and inode numbers included: for trees that must not change at all. */
    static Map<String, String> exact(Path root) {
        return of(root, true, true, p -> false);
    }

    /** Entries under root (root itself as ""), skipping any path the filter rejects and its subtree. */
    static Map<String, String> of(Path root, boolean withInode, boolean dirTimes, Predicate<Path> skip) {
        var out = new TreeMap<String, String>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> !skip.test(p)).forEach(p -> out.put(root.relativize(p).toString(), describe(p, withInode, dirTimes)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static Map<String, String> of(Path root) {
        return of(root, false, false, p -> false);
    }

    static String describe(Path p, boolean withInode, boolean dirTimes) {
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime,ino", NOFOLLOW);
            int mode = (Integer) a.get("mode");
            String type = Files.isSymbolicLink(p) ? "l" : Files.isDirectory(p, NOFOLLOW) ? "d"
                    : Files.isRegularFile(p, NOFOLLOW) ? "f" : "?";
            String body = switch (type) {
                case "l" -> "->" + Files.readSymbolicLink(p);
                case "f" -> sha(Files.readAllBytes(p));
                default -> "";
            };
            String modeText = type.equals("l") ? "" : " " + Integer.toOctalString(mode & 07777);
            String times = type.equals("d") && !dirTimes ? "" : " t" + a.get("lastModifiedTime");
            return type + modeText + " " + a.get("uid") + ":" + a.get("gid")
                    + (type.equals("f") ? " " + a.get("size") : "") + times + " " + body
                    + (withInode ? " ino" + a.get("ino") : "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
