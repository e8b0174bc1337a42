package dev.berth.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.image.RootedPath.Kind;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Table-driven tests of the parts that touch no filesystem. */
class PurePartsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            a/b/c          | a/b/c
            ./a/./b/       | a/b
            /abs/file      | abs/file
            //a//b         | a/b
            a/../b         | b
            a/b/../../c    | c
            ./             | ''
            /              | ''
            .              | ''
            a/..           | ''
            ...            | ...
            a/.../b        | a/.../b
            .wh.x          | .wh.x
            """)
    void cleansNamesInsideTheRoot(String name, String cleaned) throws Exception {
        assertThat(EntryPath.clean(name).toString()).isEqualTo(cleaned);
    }

    @ParameterizedTest
    @CsvSource({"..", "../a", "a/../..", "a/../../b", "/../etc", "./../x", "a/b/../../../c"})
    void refusesNamesThatEscape(String name) {
        assertThatThrownBy(() -> EntryPath.clean(name)).isInstanceOf(LayerRejected.class)
                .hasMessageContaining("escapes the layer root");
    }

    @Test
    void refusesNulInNames() {
        assertThatThrownBy(() -> EntryPath.clean("a\0b")).isInstanceOf(LayerRejected.class).hasMessageContaining("NUL");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            etc/passwd              | Plain  |
            etc/.wh.passwd          | Remove | etc/passwd
            .wh.etc                 | Remove | etc
            a/b/.wh..hidden         | Remove | a/b/.hidden
            a/b/.wh..wh..opq        | Opaque | a/b
            .wh..wh..opq            | Opaque | ''
            .wh..wh.aufs            | Meta   |
            .wh..wh.plnk/1.2        | Meta   |
            a/.wh.x/file            | Plain  |
            a/.wh..wh..opq/file     | Plain  |
            """)
    void readsWhiteoutNames(String name, String kind, String target) throws Exception {
        WhiteoutName w = WhiteoutName.of(EntryPath.clean(name));
        assertThat(w.getClass().getSimpleName()).isEqualTo(kind);
        switch (w) {
            case WhiteoutName.Remove r -> assertThat(r.target().toString()).isEqualTo(target);
            case WhiteoutName.Opaque o -> assertThat(o.dir().toString()).isEqualTo(target);
            default -> {
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"a/.wh.", "a/.wh..", "a/.wh...", ".wh."})
    void refusesWhiteoutsOfNoSingleSibling(String name) throws Exception {
        EntryPath p = EntryPath.clean(name);
        assertThatThrownBy(() -> WhiteoutName.of(p)).isInstanceOf(LayerRejected.class)
                .hasMessageContaining("whiteout names no single sibling");
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(nullValues = "NULL", textBlock = """
            application/vnd.oci.image.layer.v1.tar,                          00000000, NONE
            application/vnd.oci.image.layer.v1.tar+gzip,                     00000000, GZIP
            application/vnd.oci.image.layer.v1.tar+zstd,                     00000000, ZSTD
            application/vnd.oci.image.layer.nondistributable.v1.tar+gzip,    00000000, GZIP
            application/vnd.docker.image.rootfs.diff.tar.gzip,               00000000, GZIP
            application/vnd.docker.image.rootfs.foreign.diff.tar.gzip,       00000000, GZIP
            application/vnd.docker.image.rootfs.diff.tar,                    1f8b0800, NONE
            NULL,                                                            1f8b0800, GZIP
            NULL,                                                            28b52ffd, ZSTD
            NULL,                                                            61626364, NONE
            application/octet-stream,                                        28b52ffd, ZSTD
            application/octet-stream,                                        1f8b0800, GZIP
            NULL,                                                            1f,       NONE
            """)
    void detectsCompression(String mediaType, String headHex, LayerCompression expected) {
        assertThat(LayerCompression.of(mediaType, HexFormat.of().parseHex(headHex))).isEqualTo(expected);
    }

    /** An in-memory tree: directories, files and symlinks by their path from the root. */
    record FakeTree(Map<String, String> links, List<String> dirs, List<String> files) implements RootedPath.Tree {
        @Override
        public Kind kind(List<String> path) {
            String p = String.join("/", path);
            if (links.containsKey(p)) return Kind.SYMLINK;
            if (dirs.contains(p)) return Kind.DIRECTORY;
            if (files.contains(p)) return Kind.FILE;
            return Kind.MISSING;
        }

        @Override
        public String readLink(List<String> path) {
            return links.get(String.join("/", path));
        }
    }

    private static final FakeTree TREE = new FakeTree(
            Map.of("abs", "/", "up", "../../../..", "etc2", "/etc", "rel", "etc/../usr", "chain", "up/usr/lib",
                    "usr/lib/self", "self", "loop1", "loop2", "loop2", "loop1", "dotlink", "./etc/./",
                    "etc/passlink", "/etc/passwd"),
            List.of("etc", "usr", "usr/lib"),
            List.of("etc/passwd"));

    @ParameterizedTest(name = "{0} follow={1} -> {2} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            etc/passwd             | false | etc/passwd      | FILE
            abs/etc/passwd         | false | etc/passwd      | FILE
            abs                    | false | abs             | SYMLINK
            abs                    | true  | ''              | DIRECTORY
            up/etc                 | true  | etc             | DIRECTORY
            up/up/up/tmp/x         | false | tmp/x           | MISSING
            etc2/passwd            | false | etc/passwd      | FILE
            rel/lib                | true  | usr/lib         | DIRECTORY
            chain/x                | false | usr/lib/x       | MISSING
            etc/passlink           | false | etc/passlink    | SYMLINK
            etc/passlink           | true  | etc/passwd      | FILE
            dotlink/passwd         | false | etc/passwd      | FILE
            ../../etc              | true  | etc             | DIRECTORY
            new/dir/file           | false | new/dir/file    | MISSING
            """)
    void resolvesInsideTheRoot(String path, boolean follow, String resolved, Kind kind) throws Exception {
        var r = RootedPath.resolve(TREE, List.of(path.split("/")), follow);
        assertThat(r.joined()).isEqualTo(resolved);
        assertThat(r.kind()).isEqualTo(kind);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            loop1/x           | too many levels of symbolic links
            usr/lib/self/x    | too many levels of symbolic links
            etc/passwd/x      | etc/passwd is not a directory
            etc/passlink/x    | etc/passwd is not a directory
            """)
    void refusesLoopsAndFilesAsDirectories(String path, String message) {
        assertThatThrownBy(() -> RootedPath.resolve(TREE, List.of(path.split("/")), false))
                .isInstanceOf(LayerRejected.class).hasMessageContaining(message);
    }

    @Test
    void limitsBoundTheStreamButNeverOverflow() {
        assertThat(UnpackLimits.DEFAULT.maxStreamBytes()).isGreaterThan(UnpackLimits.DEFAULT.maxBytes());
        assertThat(new UnpackLimits(Long.MAX_VALUE, Long.MAX_VALUE).maxStreamBytes()).isPositive();
    }
}
