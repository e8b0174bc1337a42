package dev.berth.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layer chains, whiteouts, opaque directories, snapshot isolation and compression, on a real filesystem. */
class LayerSnapshotsTest {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final String TAR = "application/vnd.oci.image.layer.v1.tar";

    @TempDir
    Path tmp;

    private Path build(Path parent, byte[] blob, String mediaType, String name) throws Exception {
        Path file = tmp.resolve(name + ".blob");
        Files.write(file, blob);
        Path target = tmp.resolve(name);
        LayerSnapshots.build(parent, file, mediaType, target, UnpackLimits.DEFAULT);
        return target;
    }

    /** path -> "d", "f:content" or "l:target", leaving out the fixups every snapshot has. */
    private static Map<String, String> contents(Path root) throws Exception {
        var out = new TreeMap<String, String>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String rel = root.relativize(p).toString();
                if (rel.isEmpty() || Stream.of("dev", "proc", "sys", "etc/hosts", "etc/resolv.conf", "etc/hostname")
                        .anyMatch(rel::equals)) continue;
                out.put(rel, Files.isSymbolicLink(p) ? "l:" + Files.readSymbolicLink(p)
                        : Files.isDirectory(p, NOFOLLOW) ? "d" : "f:" + Files.readString(p));
            }
        }
        return out;
    }

    @Test
    void chainWithWhiteoutsAndOpaqueDirectoriesMatchesTheExpectedTree() throws Exception {
        Path s1 = build(null, new RawTar().dir("etc/").file("etc/passwd", "v1").dir("usr/").dir("usr/bin/")
                .file("usr/bin/tool", "tool", 0755, 0, 0).dir("usr/lib/").file("usr/lib/a.so", "a")
                .file("usr/lib/b.so", "b").dir("var/").dir("var/cache/").file("var/cache/x", "x")
                .dir("d/").file("d/keep", "k").file("d/drop", "dr").dir("d/sub/").file("d/sub/deep", "deep")
                .dir("opt/").dir("opt/app/").file("opt/app/old.txt", "old")
                .symlink("link", "usr/bin/tool").hardlink("hl", "usr/lib/a.so").bytes(), TAR, "s1");
        Path s2 = build(s1, new RawTar().file("usr/lib/.wh.b.so", "").file("var/.wh.cache", "")
                .file("d/keep2", "k2").dir("d/sub/").file("d/.wh..wh..opq", "").file("d/new", "n")
                .dir("opt/app/").file("opt/app/new.txt", "new").file("opt/app/.wh..wh..opq", "")
                .file("etc/passwd", "v2").symlink("usr/bin/tool", "/bin/busybox").bytes(), TAR, "s2");
        Path s3 = build(s2, new RawTar().file("d/.wh.new", "").dir("link/").file("link/inside", "i")
                .file("usr/lib/c.so", "c").file(".wh.hl", "").bytes(), TAR, "s3");

        assertThat(contents(s2)).isEqualTo(new TreeMap<>(Map.ofEntries(
                Map.entry("etc", "d"), Map.entry("etc/passwd", "f:v2"),
                Map.entry("usr", "d"), Map.entry("usr/bin", "d"), Map.entry("usr/bin/tool", "l:/bin/busybox"),
                Map.entry("usr/lib", "d"), Map.entry("usr/lib/a.so", "f:a"),
                Map.entry("var", "d"),
                Map.entry("d", "d"), Map.entry("d/keep2", "f:k2"), Map.entry("d/new", "f:n"), Map.entry("d/sub", "d"),
                Map.entry("opt", "d"), Map.entry("opt/app", "d"), Map.entry("opt/app/new.txt", "f:new"),
                Map.entry("link", "l:usr/bin/tool"), Map.entry("hl", "f:a"))));
        assertThat(contents(s3)).isEqualTo(new TreeMap<>(Map.ofEntries(
                Map.entry("etc", "d"), Map.entry("etc/passwd", "f:v2"),
                Map.entry("usr", "d"), Map.entry("usr/bin", "d"), Map.entry("usr/bin/tool", "l:/bin/busybox"),
                Map.entry("usr/lib", "d"), Map.entry("usr/lib/a.so", "f:a"), Map.entry("usr/lib/c.so", "f:c"),
                Map.entry("var", "d"),
                Map.entry("d", "d"), Map.entry("d/keep2", "f:k2"), Map.entry("d/sub", "d"),
                Map.entry("opt", "d"), Map.entry("opt/app", "d"), Map.entry("opt/app/new.txt", "f:new"),
                Map.entry("link", "d"), Map.entry("link/inside", "f:i"))));
        // Directory times are the tar's, set after their contents were written, and copied to later snapshots.
        FileTime tarTime = FileTime.fromMillis(RawTar.MTIME * 1000);
        assertThat(Files.getLastModifiedTime(s1.resolve("usr/lib"), NOFOLLOW)).isEqualTo(tarTime);
        assertThat(Files.getLastModifiedTime(s3.resolve("opt/app"), NOFOLLOW)).isEqualTo(tarTime);
    }

    @Test
    void opaqueMarkerKeepsThisLayersEntriesWhereverTheyAppear() throws Exception {
        Path s1 = build(null, new RawTar().dir("a/").file("a/lower1", "1").dir("a/sub/").file("a/sub/lower2", "2")
                .bytes(), TAR, "s1");
        Path s2 = build(s1, new RawTar().file("a/before", "b").file("a/sub/mine", "m").file("a/.wh..wh..opq", "")
                .file("a/after", "a").bytes(), TAR, "s2");
        assertThat(contents(s2)).containsOnlyKeys("a", "a/before", "a/sub", "a/sub/mine", "a/after", "etc");
        assertThat(contents(s1)).containsKeys("a/lower1", "a/sub/lower2");
    }

    @Test
    void whiteoutSparesAnEntryOfTheSameLayer() throws Exception {
        Path s1 = build(null, new RawTar().file("x", "lower").bytes(), TAR, "s1");
        Path s2 = build(s1, new RawTar().file("y", "same layer").file(".wh.y", "").file(".wh.x", "").bytes(), TAR, "s2");
        assertThat(s2.resolve("y")).hasContent("same layer");
        assertThat(s2.resolve("x")).doesNotExist();
    }

    @Test
    void buildingOnASnapshotLeavesItUnchanged() throws Exception {
        Path s1 = build(null, new RawTar().file("a", "A", 0644, 1000, 1000).file("b", "B", 0600, 0, 0)
                .file("c", "C", 0755, 5, 5).dir("dir/", 0700, 7, 7).file("dir/x", "X", 0640, 7, 7)
                .symlink("s", "a").file("keep", "K", 0444, 2, 2).bytes(), TAR, "s1");
        Map<String, String> s1Before = TreeState.exact(s1);
        Path s2 = build(s1, new RawTar().file("a", "A2", 0600, 0, 0).file(".wh.b", "")
                .file("c", "C", 0700, 9, 9).dir("dir/", 0755, 0, 0).file("dir/.wh.x", "")
                .symlink("s", "c").hardlink("h", "keep").file("h", "not keep", 0666, 3, 3)
                .hardlink("h2", "c").bytes(), TAR, "s2");
        Map<String, String> s2Before = TreeState.exact(s2);
        Path s3 = build(s2, new RawTar().file("c", "C3", 0711, 1, 1).dir("dir/", 0711, 4, 4)
                .file("keep", "K3").bytes(), TAR, "s3");

        assertThat(TreeState.exact(s1)).isEqualTo(s1Before);
        assertThat(TreeState.exact(s2)).isEqualTo(s2Before);
        assertThat(TreeState.describe(s2.resolve("a"), false, false)).startsWith("f 600 0:0 2 ");
        assertThat(TreeState.describe(s2.resolve("c"), false, false)).startsWith("f 700 9:9 1 ");
        assertThat(TreeState.describe(s2.resolve("dir"), false, false)).startsWith("d 755 0:0");
        assertThat(s2.resolve("dir/x")).doesNotExist();
        assertThat(s2.resolve("keep")).hasContent("K");
        assertThat(s2.resolve("h")).hasContent("not keep");
        assertThat(Files.getAttribute(s2.resolve("h2"), "unix:ino")).isEqualTo(Files.getAttribute(s2.resolve("c"), "unix:ino"));
        assertThat(s3.resolve("keep")).hasContent("K3");
        // Untouched files are shared, not copied.
        assertThat(Files.getAttribute(s3.resolve("a"), "unix:ino")).isEqualTo(Files.getAttribute(s2.resolve("a"), "unix:ino"));
    }

    @Test
    void plainGzipAndZstdLayersGiveTheSameTree() throws Exception {
        byte[] tar = new RawTar().dir("usr/").dir("usr/bin/").file("usr/bin/app", "x".repeat(100_000), 0755, 10, 20)
                .symlink("usr/bin/alias", "app").hardlink("usr/bin/hard", "usr/bin/app").dir("srv/", 0750, 10, 20)
                .file("srv/data", "data".repeat(1000), 0600, 10, 20).bytes();
        Map<String, String> plain = layerState(build(null, tar, TAR, "plain"));
        assertThat(layerState(build(null, RawTar.gzip(tar), TAR + "+gzip", "gzip"))).isEqualTo(plain);
        assertThat(layerState(build(null, RawTar.zstd(tar), TAR + "+zstd", "zstd"))).isEqualTo(plain);
        assertThat(layerState(build(null, RawTar.gzip(tar), null, "gzip-magic"))).isEqualTo(plain);
        assertThat(layerState(build(null, RawTar.zstd(tar), null, "zstd-magic"))).isEqualTo(plain);
        assertThat(plain.get("usr/bin/app")).startsWith("f 755 10:20 100000 ");
    }

    /** Full metadata of what the layer wrote; the fixup files are new each build, so their times differ. */
    private static Map<String, String> layerState(Path root) {
        return TreeState.of(root, false, false, p -> root.relativize(p).toString().matches("etc/(hosts|hostname|resolv.conf)"));
    }

    @Test
    void reportCountsEntriesAndBytes() throws Exception {
        Path blob = tmp.resolve("l.tar");
        Files.write(blob, new RawTar().dir("a/").file("a/f", "12345").file("a/g", "678").special("a/p", '6').bytes());
        UnpackReport r = LayerSnapshots.build(null, blob, TAR, tmp.resolve("s"), UnpackLimits.DEFAULT);
        assertThat(r.entries()).isEqualTo(4);
        assertThat(r.bytes()).isEqualTo(8);
        assertThat(r.skipped()).containsExactly("a/p: FIFO skipped");
    }

    @Test
    void refusesAnExistingTargetAndLeavesIt() throws Exception {
        Path target = Files.createDirectory(tmp.resolve("taken"));
        Files.writeString(target.resolve("mine"), "mine");
        Path blob = tmp.resolve("l.tar");
        Files.write(blob, new RawTar().file("f", "x").bytes());
        assertThatThrownBy(() -> LayerSnapshots.build(null, blob, TAR, target, UnpackLimits.DEFAULT))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(TreeState.of(target).keySet()).containsExactlyInAnyOrder("", "mine");
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.filter(LayerSnapshots::isTemporary)).isEmpty();
        }
    }
}
