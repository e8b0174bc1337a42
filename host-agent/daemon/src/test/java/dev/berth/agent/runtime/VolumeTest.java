package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.bundle.BundleBuilder;
import dev.berth.agent.bundle.BundleContext;
import dev.berth.agent.bundle.ConfigJson;
import dev.berth.agent.bundle.HostFacts;
import dev.berth.agent.bundle.HostProbe;
import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.state.RootfsShifter;
import dev.berth.agent.state.VolumeManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Volumes on real loop-mounted ext4: a hard size cap, safe flags, and data that outlives containers. */
class VolumeTest {
    private static final IdRange RANGE = new IdRange(8 * 65536, IdRange.SIZE);
    private static final long SIZE = 8L << 20;
    private Path work;
    private Path rootfs;
    private HostFacts host;
    private VolumeManager volumes;

    @BeforeEach
    void setUp() throws Exception {
        RuntimePrerequisites.require();
        host = HostProbe.probe(RuntimePrerequisites.RUNC);
        work = Files.createTempDirectory("berth-volume-test");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        Path source = work.resolve("source");
        for (String dir : List.of("bin", "proc", "sys", "dev", "etc", "data")) Files.createDirectories(source.resolve(dir));
        Files.copy(RuntimePrerequisites.BUSYBOX, source.resolve("bin/busybox"));
        for (String applet : List.of("sh", "dd", "cat", "echo", "grep", "cp", "chmod")) {
            Files.createSymbolicLink(source.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        rootfs = new RootfsShifter(work.resolve("state")).prepare(source, RANGE).rootfs();
        volumes = new VolumeManager(work.resolve("state"));
    }

    @AfterEach
    void tearDown() throws IOException {
        if (volumes != null && volumes.exists("vol-test", "data")) volumes.remove("vol-test", "data");
        if (work == null) return;
        try (Stream<Path> paths = Files.walk(work)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private String inContainer(String script) throws Exception {
        Path mnt = volumes.prepare("vol-test", "data", SIZE, RANGE);
        String id = "berth-vol-" + UUID.randomUUID().toString().substring(0, 8);
        var spec = new ContainerSpec(ContainerSpec.VERSION, id, "vol-test", rootfs.toString(), List.of("/bin/sh", "-c", script),
                Map.of(), null, "/", new ContainerSpec.Resources(64L << 20, 500, 64),
                List.of(new ContainerSpec.VolumeMount("data", "/data", SIZE)), List.of(), List.of(), List.of(), null, null);
        var oci = BundleBuilder.build(new BundleContext(spec, host, RANGE, Map.of("data", mnt.toString()), "/berth-test/" + id));
        oci.root.path = rootfs.toString();
        Path bundle = work.resolve(id);
        Files.createDirectories(bundle);
        Files.writeString(bundle.resolve("config.json"), ConfigJson.write(oci));
        var runc = RuntimePrerequisites.RUNC.toString();
        try {
            var p = new ProcessBuilder(runc, "--root", work.resolve("runc").toString(), "run", "--bundle", bundle.toString(), id)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return out;
        } finally {
            new ProcessBuilder(runc, "--root", work.resolve("runc").toString(), "delete", "--force", id).start().waitFor();
        }
    }

    @Test
    void theSizeIsAHardCap() throws Exception {
        String out = inContainer("dd if=/dev/zero of=/data/fill bs=1M count=32 2>&1; echo dd=$?");
        assertThat(out).contains("No space left on device").doesNotContain("dd=0");
        assertThat(Files.size(work.resolve("state/volumes/vol-test/data/volume.img"))).isEqualTo(SIZE);
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

    @Test
    void badVolumesAreRefusedClearly() {
        assertThatThrownBy(() -> volumes.prepare("vol-test", "../etc", SIZE, RANGE)).hasMessageContaining("volume name '../etc'");
        assertThatThrownBy(() -> volumes.prepare("vol-test", "tiny", 1L << 20, RANGE)).hasMessageContaining("at least 4Mi");
        assertThatThrownBy(() -> volumes.remove("vol-test", "never")).hasMessageContaining("no volume 'never'");
    }
}
