package dev.berth.agent.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessFilesTest {
    @TempDir
    Path dir;

    private static AccessEntry entry(String app, String path) {
        return new AccessEntry(Instant.parse("2026-12-05T19:40:01Z"), app, "shop.example.com", "GET", path, 200,
                Duration.ofMillis(2), 10);
    }

    @Test
    void eachAppHasAPrivateFileNamedForItsStream() throws Exception {
        var files = new AccessFiles(dir.resolve("access"), 1 << 20);
        files.write(List.of(entry("acme/web", "/a"), entry("acme/api", "/b"), entry("acme/web", "/c"), entry("../etc", "/d")));
        assertThat(files.files()).extracting(AccessFiles.AccessFile::stream).containsExactly("edge_acme.api", "edge_acme.web");
        Path web = files.file("edge_acme.web");
        assertThat(Files.readString(web)).isEqualTo("""
                2026-12-05T19:40:01.000Z GET /a 200 2.0ms 10B
                2026-12-05T19:40:01.000Z GET /c 200 2.0ms 10B
                """);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(web))).isEqualTo("rw-------");
        try (var listed = Files.list(dir.resolve("access"))) {
            assertThat(listed).hasSize(2);
        }
    }

    @Test
    void aFilePastItsCapIsRotatedToOneCopy() throws Exception {
        var files = new AccessFiles(dir, 60);
        files.write(List.of(entry("acme/web", "/one"), entry("acme/web", "/two")));
        Path web = files.file("edge_acme.web");
        assertThat(Files.size(web)).isZero();
        assertThat(Files.readString(web.resolveSibling("edge_acme.web.log.1"))).contains("/one").contains("/two");
        files.write(List.of(entry("acme/web", "/three")));
        assertThat(Files.readString(web)).contains("/three");
        files.write(List.of(entry("acme/web", "/four"), entry("acme/web", "/five")));
        assertThat(Files.readString(web.resolveSibling("edge_acme.web.log.1"))).contains("/three").doesNotContain("/one");
        assertThat(web.resolveSibling("edge_acme.web.log.2")).doesNotExist();
        // Rotated copies are not streams of their own.
        assertThat(files.files()).extracting(AccessFiles.AccessFile::stream).containsExactly("edge_acme.web");
    }
}
