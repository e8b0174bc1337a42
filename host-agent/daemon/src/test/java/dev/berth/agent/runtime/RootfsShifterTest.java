package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.state.RootfsShifter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ownership shifting on the real filesystem (needs root to chown). */
class RootfsShifterTest {
    @TempDir
    Path dir;
    Path source;

    @BeforeEach
    void rootfs() throws Exception {
        RuntimePrerequisites.require();
        source = dir.resolve("src");
        Files.createDirectories(source.resolve("etc"));
        Files.writeString(source.resolve("etc/app.conf"), "x");
        Files.setAttribute(source.resolve("etc/app.conf"), "unix:uid", 1000);
        Files.setAttribute(source.resolve("etc/app.conf"), "unix:gid", 1000);
        Files.setPosixFilePermissions(source.resolve("etc/app.conf"), PosixFilePermissions.fromString("rw-r-----"));
        Files.createSymbolicLink(source.resolve("etc/link"), Path.of("/etc/shadow"));
    }

    private static int uid(Path p) throws Exception {
        return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void ownersMoveIntoTheRangeLinksAreNotFollowedAndTheSecondStartTouchesNothing() throws Exception {
        var shifter = new RootfsShifter(dir.resolve("state"));
        var range = new IdRange(262144, IdRange.SIZE);
        var first = shifter.prepare(source, range);
        assertThat(first.built()).isTrue();
        Path rootfs = first.rootfs();
        assertThat(uid(rootfs)).isEqualTo(262144);
        assertThat(uid(rootfs.resolve("etc/app.conf"))).isEqualTo(263144);
        assertThat(Files.getPosixFilePermissions(rootfs.resolve("etc/app.conf"))).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        assertThat(uid(rootfs.resolve("etc/link"))).isEqualTo(262144);
        assertThat(Files.readSymbolicLink(rootfs.resolve("etc/link"))).isEqualTo(Path.of("/etc/shadow"));
        assertThat(uid(Path.of("/etc/shadow"))).as("the link's target on the host is untouched").isZero();
        assertThat(uid(source.resolve("etc/app.conf"))).as("the source is untouched").isEqualTo(1000);

        var before = Files.getLastModifiedTime(rootfs.resolve("etc/app.conf"));
        var second = new RootfsShifter(dir.resolve("state")).prepare(source, range);
        assertThat(second.built()).isFalse();
        assertThat(second.rootfs()).isEqualTo(rootfs);
        assertThat(Files.getLastModifiedTime(rootfs.resolve("etc/app.conf"))).isEqualTo(before);

        var otherApp = shifter.prepare(source, new IdRange(327680, IdRange.SIZE));
        assertThat(otherApp.built()).isTrue();
        assertThat(otherApp.rootfs()).isNotEqualTo(rootfs);
        assertThat(uid(otherApp.rootfs().resolve("etc/app.conf"))).isEqualTo(328680);
    }

    @Test
    void aChangedSourceGetsANewCopyAndTheOldOneStaysForWhoeverRunsFromIt() throws Exception {
        var shifter = new RootfsShifter(dir.resolve("state"));
        var range = new IdRange(262144, IdRange.SIZE);
        Path conf = source.resolve("etc/app.conf");
        Path first = shifter.prepare(source, range).rootfs();
        var mtime = Files.getLastModifiedTime(conf);

        // Same size, modification time set back: only the change time and the content differ.
        Files.writeString(conf, "y");
        Files.setLastModifiedTime(conf, mtime);
        var second = shifter.prepare(source, range);
        assertThat(second.built()).isTrue();
        assertThat(Files.readString(second.rootfs().resolve("etc/app.conf"))).isEqualTo("y");
        assertThat(Files.readString(first.resolve("etc/app.conf"))).as("the old copy is left as it was").isEqualTo("x");
        assertThat(shifter.prepare(source, range).built()).as("unchanged since").isFalse();

        // A new file, a changed mode, a changed link: each is a change.
        Files.writeString(source.resolve("etc/new"), "");
        assertThat(shifter.prepare(source, range).built()).isTrue();
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        assertThat(shifter.prepare(source, range).built()).isTrue();
        Files.delete(source.resolve("etc/link"));
        Files.createSymbolicLink(source.resolve("etc/link"), Path.of("/etc/passwd"));
        assertThat(shifter.prepare(source, range).built()).isTrue();

        // An image's snapshot never changes: it is not walked, and its copy is reused as it is.
        Path snapshot = shifter.prepare(source, range, false).rootfs();
        Files.writeString(conf, "z");
        assertThat(shifter.prepare(source, range, false).rootfs()).isEqualTo(snapshot);
        assertThat(shifter.prepare(source, range, false).built()).isFalse();
    }

    @Test
    void anOwnerOutsideTheContainersIdsIsRefusedAndLeavesNothing() throws Exception {
        Files.setAttribute(source.resolve("etc/app.conf"), "unix:uid", 70000);
        var shifter = new RootfsShifter(dir.resolve("state"));
        assertThatThrownBy(() -> shifter.prepare(source, new IdRange(262144, IdRange.SIZE)))
                .hasMessageContaining("is owned by 70000:1000, outside the container's ids 0-65535");
        try (var left = Files.list(dir.resolve("state/rootfs"))) {
            assertThat(left).isEmpty();
        }
    }
}
