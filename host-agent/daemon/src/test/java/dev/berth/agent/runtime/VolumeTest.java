package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.state.VolumeManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Volumes on real loop-mounted ext4: a hard size cap, safe flags, and data that outlives containers. */
class VolumeTest {
    private static final long SIZE = 8L << 20;
    private RuntimeFixture host;
    private VolumeManager volumes;

    @BeforeEach
    void setUp() throws Exception {
        host = new RuntimeFixture(new IdRange(8 * 65536, IdRange.SIZE), "sh", "dd", "cat", "echo", "grep", "cp", "chmod", "true");
        volumes = new VolumeManager(host.work.resolve("state"));
    }

    @AfterEach
    void tearDown() throws IOException {
        if (volumes != null && volumes.exists("vol-test", "data")) volumes.remove("vol-test", "data");
        if (host != null) host.close();
    }

    private String inContainer(String script) throws Exception {
        Path mnt = volumes.prepare("vol-test", "data", SIZE, host.range);
        var spec = host.spec(script, new ContainerSpec.Resources(64L << 20, 500, 64),
                List.of(new ContainerSpec.VolumeMount("data", "/data", SIZE)), List.of());
        return host.runToEnd(spec, Map.of("data", mnt.toString()));
    }

    @Test
    void theSizeIsAHardCap() throws Exception {
        String out = inContainer("dd if=/dev/zero of=/data/fill bs=1M count=32 2>&1; echo dd=$?");
        assertThat(out).contains("No space left on device").doesNotContain("dd=0");
        assertThat(Files.size(host.work.resolve("state/volumes/vol-test/data/image/volume.img"))).isEqualTo(SIZE);
    }

    @Test
    void theVolumeIsWritableByContainerRootButNosuidNodevNoexec() throws Exception {
        String out = inContainer("grep ' /data ' /proc/self/mountinfo; echo hi > /data/x && echo write=ok; "
                + "cp /bin/busybox /data/bb && chmod +x /data/bb && /data/bb true; echo exec=$?");
        assertThat(out).contains("write=ok").contains("nosuid").contains("nodev").contains("noexec");
        assertThat(out).containsPattern("exec=(126|1|2)");
    }

    @Test
    void dataOutlivesTheContainerUntilTheVolumeIsRemoved() throws Exception {
        inContainer("echo kept > /data/note");
        assertThat(inContainer("cat /data/note")).contains("kept");
        volumes.remove("vol-test", "data");
        assertThat(volumes.exists("vol-test", "data")).isFalse();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain("vol-test/data/mnt");
        assertThat(inContainer("cat /data/note 2>&1; echo done")).contains("No such file").contains("done");
    }

    /** An older agent left the image world-readable beside the mount point: it is moved into the root-only directory, data kept. */
    @Test
    void anOlderAgentsReadableImageIsClosedAndKept() throws Exception {
        inContainer("echo kept > /data/note");
        Path dir = host.work.resolve("state/volumes/vol-test/data");
        assertThat(new ProcessBuilder("umount", dir.resolve("mnt").toString()).inheritIO().start().waitFor()).isZero();
        Files.move(dir.resolve("image/volume.img"), dir.resolve("volume.img"));
        Files.delete(dir.resolve("image"));
        Files.setPosixFilePermissions(dir.resolve("volume.img"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThat(inContainer("cat /data/note")).contains("kept");
        assertThat(dir.resolve("volume.img")).doesNotExist();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("image")))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("image/volume.img")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx--x--x");
    }

    @Test
    void badVolumesAreRefusedClearly() {
        assertThatThrownBy(() -> volumes.prepare("vol-test", "../etc", SIZE, host.range)).hasMessageContaining("volume name '../etc'");
        assertThatThrownBy(() -> volumes.prepare("vol-test", "tiny", 1L << 20, host.range)).hasMessageContaining("at least 4Mi");
        assertThatThrownBy(() -> volumes.remove("vol-test", "never")).hasMessageContaining("no volume 'never'");
    }
}
