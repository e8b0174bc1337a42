package dev.berth.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Break-out layers modelled on the cases containerd, moby and umoci test. Every case runs against
 * a real directory with a canary tree beside the store and a parent snapshot in it; whatever the
 * outcome, neither may change, and a refused layer leaves no target and no temporary directory.
 */
class HostileLayersTest {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final String TAR = "application/vnd.oci.image.layer.v1.tar";
    private static final String GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    private static final String ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";

    /** What the layer should come to. */
    sealed interface Expect {
    }

    record Refused(String messagePart) implements Expect {
    }

    record Accepted(Check check) implements Expect {
    }

    @FunctionalInterface
    interface Check {
        void verify(Path root, UnpackReport report, String outside) throws Exception;
    }

    /** One crafted layer; {@code outside} is the canary directory's absolute path, for layers aiming at it. */
    record Case(String name, Function<String, byte[]> blob, String mediaType, UnpackLimits limits, Expect expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case refused(String name, String message, Function<String, byte[]> tar) {
        return new Case(name, tar, TAR, UnpackLimits.DEFAULT, new Refused(message));
    }

    private static Case accepted(String name, Function<String, byte[]> tar, Check check) {
        return new Case(name, tar, TAR, UnpackLimits.DEFAULT, new Accepted(check));
    }

    /** The canary's path as a path inside the root: where a neutralised write at it must land. */
    private static String inside(String outside) {
        return outside.substring(1);
    }

    static Stream<Case> corpus() {
        return Stream.of(
                refused("dotdot traversal", "escapes the layer root",
                        o -> new RawTar().file("../outside/pwned", "x").bytes()),
                refused("dotdot deep traversal", "escapes the layer root",
                        o -> new RawTar().file("../../../../../../../../../../tmp/pwned", "x").bytes()),
                refused("a/../../x", "escapes the layer root",
                        o -> new RawTar().dir("a/").file("a/../../outside/pwned", "x").bytes()),
                accepted("dotdot that stays inside is cleaned",
                        o -> new RawTar().file("./a/./b/../c", "x").bytes(),
                        (r, rep, o) -> assertThat(r.resolve("a/c")).hasContent("x")),
                accepted("absolute path is relative to the root",
                        o -> new RawTar().file("/abs/file", "x").bytes(),
                        (r, rep, o) -> assertThat(r.resolve("abs/file")).hasContent("x")),
                accepted("absolute path naming the canary lands inside",
                        o -> new RawTar().file(o + "/pwned", "x").bytes(),
                        (r, rep, o) -> assertThat(r.resolve(inside(o) + "/pwned")).hasContent("x")),
                accepted("symlink to / then write through it",
                        o -> new RawTar().symlink("rootlink", "/").file("rootlink" + o + "/pwned", "x").bytes(),
                        (r, rep, o) -> {
                            assertThat(r.resolve(inside(o) + "/pwned")).hasContent("x");
                            assertThat(Files.readSymbolicLink(r.resolve("rootlink"))).hasToString("/");
                        }),
                accepted("symlink to / then write etc/passwd through it",
                        o -> new RawTar().symlink("rootlink", "/").file("rootlink/etc/passwd", "pwned").bytes(),
                        (r, rep, o) -> assertThat(r.resolve("etc/passwd")).hasContent("pwned")),
                accepted("symlink to ../../.. then write through it",
                        o -> new RawTar().symlink("up", "../../../../../../../..")
                                .file("up" + o + "/pwned", "x").file("up/outside/pwned", "y").bytes(),
                        (r, rep, o) -> {
                            assertThat(r.resolve(inside(o) + "/pwned")).hasContent("x");
                            assertThat(r.resolve("outside/pwned")).hasContent("y");
                        }),
                accepted("symlink to the canary's absolute path then write through it",
                        o -> new RawTar().symlink("out", o).file("out/pwned", "x").file("out/secret", "x").bytes(),
                        (r, rep, o) -> {
                            assertThat(r.resolve(inside(o) + "/pwned")).hasContent("x");
                            assertThat(r.resolve(inside(o) + "/secret")).hasContent("x");
                        }),
                accepted("chained symlinks that climb",
                        o -> new RawTar().dir("c/").symlink("b", "/..").symlink("a", "b/../c/../../..")
                                .file("a/outside/pwned", "x").bytes(),
                        (r, rep, o) -> assertThat(r.resolve("outside/pwned")).hasContent("x")),
                accepted("symlink in a symlink's target chain to the canary",
                        o -> new RawTar().symlink("one", "two/x").symlink("two", o + "/..")
                                .file("one/pwned", "x").bytes(),
                        (r, rep, o) -> assertThat(r.resolve(inside(o) + "/../x/pwned").normalize()).hasContent("x")),
                accepted("write through a parent snapshot's symlink to the canary lands inside",
                        o -> new RawTar().file("lowerout/pwned", "x").dir("lowerout/sub/", 0700, 0, 0).bytes(),
                        (r, rep, o) -> {
                            assertThat(r.resolve(inside(o) + "/pwned")).hasContent("x");
                            assertThat(mode(r.resolve(inside(o) + "/sub"))).isEqualTo(0700);
                            assertThat(Files.isSymbolicLink(r.resolve("lowerout"))).isTrue();
                        }),
                accepted("whiteout and opaque marker through a parent snapshot's symlink stay inside",
                        o -> new RawTar().file("lowerout/.wh.secret", "").file("lowerout/sub/.wh..wh..opq", "")
                                .bytes(),
                        (r, rep, o) -> assertThat(Files.isSymbolicLink(r.resolve("lowerout"))).isTrue()),
                refused("symlink loop", "too many levels of symbolic links",
                        o -> new RawTar().symlink("a", "b").symlink("b", "a").file("a/x", "x").bytes()),
                refused("symlink to itself", "too many levels of symbolic links",
                        o -> new RawTar().symlink("self", "self/x").file("self/f", "x").bytes()),
                accepted("file over an earlier symlink replaces the link, never follows it",
                        o -> new RawTar().symlink("evil", o + "/secret").file("evil", "mine").bytes(),
                        (r, rep, o) -> {
                            assertThat(Files.isSymbolicLink(r.resolve("evil"))).isFalse();
                            assertThat(r.resolve("evil")).hasContent("mine");
                        }),
                accepted("directory over an earlier symlink to the canary replaces the link",
                        o -> new RawTar().symlink("d", o).dir("d/", 0700, 0, 0).bytes(),
                        (r, rep, o) -> {
                            assertThat(Files.isDirectory(r.resolve("d"), NOFOLLOW)).isTrue();
                            assertThat(mode(r.resolve("d"))).isEqualTo(0700);
                        }),
                refused("hardlink to /etc/shadow not in the layer", "does not exist in the layer root",
                        o -> new RawTar().hardlink("shadow", "/etc/gshadow-").bytes()),
                accepted("hardlink to /etc/shadow of the parent snapshot links the snapshot's file",
                        o -> new RawTar().hardlink("copy", "/etc/shadow").bytes(),
                        (r, rep, o) -> {
                            assertThat(inode(r.resolve("copy"))).isEqualTo(inode(r.resolve("etc/shadow")));
                            assertThat(r.resolve("copy")).hasContent("root:hash");
                        }),
                refused("hardlink to ../outside", "escapes the layer root",
                        o -> new RawTar().hardlink("h", "../outside/secret").bytes()),
                refused("hardlink to the canary's absolute path", "does not exist in the layer root",
                        o -> new RawTar().hardlink("h", o + "/secret").bytes()),
                refused("hardlink through a symlink parent", "does not exist in the layer root",
                        o -> new RawTar().symlink("l", o).hardlink("h", "l/secret").bytes()),
                refused("hardlink through a climbing symlink parent", "does not exist in the layer root",
                        o -> new RawTar().symlink("l", "../../../..").hardlink("h", "l/outside/secret").bytes()),
                refused("hardlink to a directory", "is a directory",
                        o -> new RawTar().dir("d/").hardlink("h", "d").bytes()),
                refused("hardlink to the root", "hard link to the layer root",
                        o -> new RawTar().hardlink("h", "./").bytes()),
                accepted("hardlink to a symlink aiming outside links the symlink itself",
                        o -> new RawTar().symlink("s", o + "/secret").hardlink("h", "s").bytes(),
                        (r, rep, o) -> {
                            assertThat(Files.isSymbolicLink(r.resolve("h"))).isTrue();
                            assertThat(inode(r.resolve("h"))).isEqualTo(inode(r.resolve("s")));
                        }),
                accepted("writing over a hardlink leaves the linked file alone",
                        o -> new RawTar().hardlink("h", "etc/passwd").file("h", "changed").bytes(),
                        (r, rep, o) -> {
                            assertThat(r.resolve("etc/passwd")).hasContent("root:x:0:0");
                            assertThat(r.resolve("h")).hasContent("changed");
                        }),
                refused("whiteout .wh...", "whiteout names no single sibling",
                        o -> new RawTar().file("etc/.wh...", "").bytes()),
                refused("whiteout .wh.. (dot)", "whiteout names no single sibling",
                        o -> new RawTar().file("etc/.wh..", "").bytes()),
                refused("whiteout .wh. (empty)", "whiteout names no single sibling",
                        o -> new RawTar().file(".wh.", "").bytes()),
                refused("whiteout with ../", "escapes the layer root",
                        o -> new RawTar().file("../.wh.outside", "").bytes()),
                refused("whiteout climbing out through dotdot", "escapes the layer root",
                        o -> new RawTar().file("etc/../../outside/.wh.secret", "").bytes()),
                accepted("whiteout through a symlink to the canary removes nothing outside",
                        o -> new RawTar().symlink("l", o).file("l/.wh.secret", "").bytes(),
                        (r, rep, o) -> assertThat(r.resolve("l/.wh.secret")).doesNotExist()),
                refused("opaque marker in an escaping dir", "escapes the layer root",
                        o -> new RawTar().file("../.wh..wh..opq", "").bytes()),
                accepted("opaque marker under a symlink to the canary stays inside",
                        o -> new RawTar().symlink("l", o).file("l/.wh..wh..opq", "").bytes(),
                        (r, rep, o) -> assertThat(r.resolve("etc/passwd")).exists()),
                accepted("aufs metadata is skipped",
                        o -> new RawTar().file(".wh..wh.plnk/123.456", "").file(".wh..wh.aufs", "").bytes(),
                        (r, rep, o) -> {
                            assertThat(r.resolve(".wh..wh.aufs")).doesNotExist();
                            assertThat(rep.skipped()).contains(".wh..wh.aufs: aufs metadata skipped");
                        }),
                accepted("character device skipped",
                        o -> new RawTar().special("dev/null", '3').bytes(),
                        (r, rep, o) -> {
                            assertThat(r.resolve("dev/null")).doesNotExist();
                            assertThat(rep.skipped()).containsExactly("dev/null: character device skipped");
                        }),
                accepted("block device skipped",
                        o -> new RawTar().special("dev/sda", '4').bytes(),
                        (r, rep, o) -> {
                            assertThat(r.resolve("dev/sda")).doesNotExist();
                            assertThat(rep.skipped()).containsExactly("dev/sda: block device skipped");
                        }),
                accepted("fifo skipped",
                        o -> new RawTar().special("run/fifo", '6').bytes(),
                        (r, rep, o) -> {
                            assertThat(r.resolve("run/fifo")).doesNotExist();
                            assertThat(rep.skipped()).containsExactly("run/fifo: FIFO skipped");
                        }),
                accepted("setuid binary stripped",
                        o -> new RawTar().file("bin/su", "su", 04755, 0, 0).bytes(),
                        (r, rep, o) -> {
                            assertThat(mode(r.resolve("bin/su"))).isEqualTo(0755);
                            assertThat(rep.neutralised()).containsExactly("bin/su: setuid bit stripped");
                        }),
                accepted("setgid directory stripped, sticky kept",
                        o -> new RawTar().dir("shared/", 03775, 0, 50).dir("tmp/", 01777, 0, 0).bytes(),
                        (r, rep, o) -> {
                            assertThat(mode(r.resolve("shared"))).isEqualTo(01775);
                            assertThat(mode(r.resolve("tmp"))).isEqualTo(01777);
                            assertThat(rep.neutralised()).containsExactly("shared: setgid bit stripped");
                        }),
                accepted("setuid and setgid both stripped",
                        o -> new RawTar().file("bin/both", "b", 06711, 0, 0).bytes(),
                        (r, rep, o) -> assertThat(mode(r.resolve("bin/both"))).isEqualTo(0711)),
                refused("uid 70000", "owner 70000:0 is outside 0-65535",
                        o -> new RawTar().file("f", "x", 0644, 70000, 0).bytes()),
                refused("gid 70000 on a directory", "owner 0:70000 is outside",
                        o -> new RawTar().dir("d/", 0755, 0, 70000).bytes()),
                new Case("declared size over the limit", o -> new RawTar().file("big", "x".repeat(4096)).bytes(),
                        TAR, new UnpackLimits(1024, 100), new Refused("declared size 4096 bytes takes the layer over")),
                new Case("sizes adding up over the limit",
                        o -> new RawTar().file("a", "x".repeat(600)).file("b", "x".repeat(600)).bytes(),
                        TAR, new UnpackLimits(1024, 100), new Refused("b: declared size 600")),
                refused("huge declared size with a short body", "truncated",
                        o -> new RawTar().declared("big", (1L << 33) - 1, new byte[2048]).unterminated()),
                new Case("too many entries", o -> new RawTar().file("a", "").file("b", "").file("c", "").file("d", "")
                        .bytes(), TAR, new UnpackLimits(1024, 3), new Refused("more than 3 entries")),
                refused("truncated tar in a file's content", "truncated",
                        o -> Arrays.copyOf(new RawTar().file("f", "x".repeat(5000)).bytes(), 512 + 1000)),
                refused("truncated tar in a header", "whole number of 512-byte blocks",
                        o -> Arrays.copyOf(new RawTar().file("f", "x").file("g", "y").bytes(), 1024 + 100)),
                new Case("corrupt gzip", o -> corrupt(RawTar.gzip(new RawTar().file("f", "x".repeat(100_000)).bytes())),
                        GZIP, UnpackLimits.DEFAULT, new Refused("corrupt or truncated layer")),
                new Case("gzip media type on a plain tar", o -> new RawTar().file("f", "x").bytes(),
                        GZIP, UnpackLimits.DEFAULT, new Refused("not a valid GZIP stream")),
                new Case("corrupt zstd", o -> corrupt(RawTar.zstd(new RawTar().file("f", "x".repeat(100_000)).bytes())),
                        ZSTD, UnpackLimits.DEFAULT, new Refused("corrupt or truncated layer")),
                refused("garbage instead of a tar", "layer stream",
                        o -> "this is not a tar archive at all, just text".repeat(30).getBytes(StandardCharsets.UTF_8)),
                accepted("file then directory at the same path",
                        o -> new RawTar().file("x", "file").dir("x/").file("x/y", "in dir").bytes(),
                        (r, rep, o) -> assertThat(r.resolve("x/y")).hasContent("in dir")),
                accepted("directory then file at the same path",
                        o -> new RawTar().dir("x/").file("x/y", "in dir").file("x", "file").bytes(),
                        (r, rep, o) -> assertThat(r.resolve("x")).isRegularFile().hasContent("file")),
                refused("file below a file", "is not a directory",
                        o -> new RawTar().file("f", "x").file("f/g", "y").bytes()),
                refused("file replacing the root", "replace the layer root",
                        o -> new RawTar().file(".", "x").bytes()),
                refused("symlink replacing the root", "replace the layer root",
                        o -> new RawTar().symlink("/", o).bytes()),
                refused("symlink named .. replacing the root", "replace the layer root",
                        o -> new RawTar().symlink("a/..", o).bytes()),
                accepted("directory entry for the root updates its metadata only",
                        o -> new RawTar().dir("./", 0750, 0, 0).file("f", "x").bytes(),
                        (r, rep, o) -> {
                            assertThat(mode(r)).isEqualTo(0750);
                            assertThat(r.resolve("etc/passwd")).exists();
                        }),
                accepted("symlink /proc -> / becomes a directory",
                        o -> new RawTar().symlink("proc", "/").bytes(),
                        (r, rep, o) -> {
                            assertThat(Files.isDirectory(r.resolve("proc"), NOFOLLOW)).isTrue();
                            assertThat(rep.neutralised()).contains("proc: symlink replaced by an empty directory");
                        }),
                accepted("symlink /sys -> canary becomes a directory",
                        o -> new RawTar().symlink("sys", o).bytes(),
                        (r, rep, o) -> assertThat(Files.isDirectory(r.resolve("sys"), NOFOLLOW)).isTrue()),
                accepted("/dev as a file becomes a directory",
                        o -> new RawTar().file("dev", "not a dir").bytes(),
                        (r, rep, o) -> assertThat(Files.isDirectory(r.resolve("dev"), NOFOLLOW)).isTrue()),
                accepted("/etc/resolv.conf -> /etc/shadow becomes an empty file",
                        o -> new RawTar().symlink("etc/resolv.conf", "/etc/shadow").bytes(),
                        (r, rep, o) -> {
                            assertThat(r.resolve("etc/resolv.conf")).isRegularFile().isEmptyFile();
                            assertThat(mode(r.resolve("etc/resolv.conf"))).isEqualTo(0644);
                            assertThat(r.resolve("etc/shadow")).hasContent("root:hash");
                            assertThat(rep.neutralised()).contains("etc/resolv.conf: symlink replaced by an empty file");
                        }),
                accepted("/etc/hosts as a directory becomes an empty file",
                        o -> new RawTar().dir("etc/hosts/").file("etc/hosts/x", "x").bytes(),
                        (r, rep, o) -> assertThat(r.resolve("etc/hosts")).isRegularFile().isEmptyFile()),
                accepted("/etc as a symlink to the canary becomes a directory",
                        o -> new RawTar().symlink("etc", o).bytes(),
                        (r, rep, o) -> {
                            assertThat(Files.isDirectory(r.resolve("etc"), NOFOLLOW)).isTrue();
                            assertThat(r.resolve("etc/hostname")).isRegularFile();
                        }),
                refused("GNU long name traversal", "escapes the layer root",
                        o -> new RawTar().gnuLongName("../../" + "a".repeat(150) + "/../../outside/pwned")
                                .file("innocent", "x").bytes()),
                refused("GNU long link traversal for a hardlink", "escapes the layer root",
                        o -> new RawTar().gnuLongLink("../" + "b/".repeat(60) + "../".repeat(61) + "outside/secret")
                                .hardlink("h", "replaced-by-the-long-link").bytes()),
                refused("PAX path override traversal", "escapes the layer root",
                        o -> new RawTar().pax("path", "../outside/pwned").file("innocent", "x").bytes()),
                refused("PAX linkpath override traversal for a hardlink", "escapes the layer root",
                        o -> new RawTar().pax("linkpath", "../../outside/secret").hardlink("h", "etc/passwd").bytes()),
                accepted("PAX path override to the canary's absolute path lands inside",
                        o -> new RawTar().pax("path", o + "/pwned").file("innocent", "x").bytes(),
                        (r, rep, o) -> {
                            assertThat(r.resolve(inside(o) + "/pwned")).hasContent("x");
                            assertThat(r.resolve("innocent")).doesNotExist();
                        }),
                refused("PAX uid override over the range", "outside 0-65535",
                        o -> new RawTar().pax("uid", "4294967294").file("f", "x").bytes()),
                refused("PAX size override over the limit", "over its limit",
                        o -> new RawTar().pax("size", String.valueOf(9L << 30)).file("f", "x").bytes()));
    }

    private static byte[] corrupt(byte[] b) {
        byte[] c = b.clone();
        for (int i = c.length / 3; i < c.length / 3 + 64; i++) c[i] ^= 0x5a;
        return c;
    }

    private static int mode(Path p) throws Exception {
        return (Integer) Files.getAttribute(p, "unix:mode", NOFOLLOW) & 07777;
    }

    private static Object inode(Path p) throws Exception {
        return Files.getAttribute(p, "unix:ino", NOFOLLOW);
    }

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void hostileLayerNeverTouchesAnythingOutsideTheTarget(Case c) throws Exception {
        Path outside = tmp.resolve("outside");
        Files.createDirectories(outside.resolve("sub/dir"));
        Files.writeString(outside.resolve("secret"), "top secret");
        Files.writeString(outside.resolve("sub/dir/file"), "canary");
        Files.createSymbolicLink(outside.resolve("link"), outside.resolve("secret"));
        Path store = Files.createDirectory(tmp.resolve("store"));
        Path base = store.resolve("base");
        Path baseBlob = tmp.resolve("base.tar");
        Files.write(baseBlob, new RawTar().dir("etc/").file("etc/passwd", "root:x:0:0")
                .file("etc/shadow", "root:hash", 0640, 0, 42).dir("d/").file("d/lower", "l").symlink("lowerout", outside.toString()).bytes());
        LayerSnapshots.build(null, baseBlob, TAR, base, UnpackLimits.DEFAULT);
        String o = outside.toString();
        Path blob = tmp.resolve("layer");
        Files.write(blob, c.blob().apply(o));

        Map<String, String> outsideBefore = TreeState.exact(outside);
        Map<String, String> baseBefore = TreeState.exact(base);
        List<String> storeBefore = names(store);
        Path target = store.resolve("snap");

        switch (c.expect()) {
            case Refused r -> {
                assertThatThrownBy(() -> LayerSnapshots.build(base, blob, c.mediaType(), target, c.limits()))
                        .isInstanceOf(LayerRejected.class)
                        .hasMessageContaining(r.messagePart());
                assertThat(target).doesNotExist();
                assertThat(names(store)).as("no target, no temp dir left").isEqualTo(storeBefore);
            }
            case Accepted a -> {
                UnpackReport report = LayerSnapshots.build(base, blob, c.mediaType(), target, c.limits());
                a.check().verify(target, report, o);
                assertThat(TreeState.of(target).keySet()).noneMatch(p -> Path.of(p).getFileName().toString()
                        .startsWith(".wh."));
                for (String d : RootfsFixups.DIRECTORIES) assertThat(target.resolve(d)).isDirectory();
                for (String f : RootfsFixups.FILES) assertThat(target.resolve(f)).isRegularFile();
                assertThat(names(store)).containsExactlyInAnyOrder("base", "snap");
            }
        }
        assertThat(TreeState.exact(outside)).as("canary beside the store").isEqualTo(outsideBefore);
        assertThat(TreeState.exact(base)).as("parent snapshot").isEqualTo(baseBefore);
        assertThat(Files.exists(Path.of("/tmp/pwned"))).isFalse();
    }

    @org.junit.jupiter.api.Test
    void corpusIsLargeEnough() {
        assertThat(corpus().count()).isGreaterThanOrEqualTo(30);
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
