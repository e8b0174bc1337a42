package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.bundle.BundleBuilder;
import dev.berth.agent.bundle.BundleContext;
import dev.berth.agent.bundle.ConfigJson;
import dev.berth.agent.bundle.HostFacts;
import dev.berth.agent.bundle.HostProbe;
import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.state.RootfsShifter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generated bundle on real runc and the real kernel: a busybox container reports, from inside,
 * what the profile promised. The later agent's isolation report reads the same facts from
 * outside the live process.
 */
class ProfileOnRuncTest {
    private static final IdRange RANGE = new IdRange(6 * 65536, IdRange.SIZE);
    private static Path work;
    private static Path rootfs;
    private static HostFacts host;

    @BeforeAll
    static void setUp() throws IOException {
        RuntimePrerequisites.require();
        host = HostProbe.probe(RuntimePrerequisites.RUNC);
        work = Files.createTempDirectory("berth-runc-test");
        // Container root is an unprivileged host uid: it must be able to pass through to the rootfs.
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        Path source = work.resolve("source");
        for (String dir : List.of("bin", "proc", "sys", "dev", "etc", "tmp")) Files.createDirectories(source.resolve(dir));
        Files.copy(RuntimePrerequisites.BUSYBOX, source.resolve("bin/busybox"));
        for (String applet : List.of("sh", "cat", "grep", "echo", "ls", "id", "unshare", "mount", "mknod", "touch")) {
            Files.createSymbolicLink(source.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        for (String file : List.of("etc/hosts", "etc/resolv.conf", "etc/hostname")) Files.createFile(source.resolve(file));
        // Owned by host root like any unpacked tree; the shifter moves a copy into the app's range.
        rootfs = new RootfsShifter(work.resolve("state")).prepare(source, RANGE).rootfs();
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (work == null) return;
        try (Stream<Path> paths = Files.walk(work)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        var p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s timed out", command).isTrue();
        return out;
    }

    /** Runs a shell script as a container built from the profile and returns what it printed. */
    private static String inContainer(String script) throws IOException, InterruptedException {
        String id = "berth-test-" + UUID.randomUUID().toString().substring(0, 8);
        var spec = new ContainerSpec(ContainerSpec.VERSION, id, "profile-test", rootfs.toString(), List.of("/bin/sh", "-c", script),
                Map.of(), null, "/", new ContainerSpec.Resources(64L << 20, 500, 64), List.of(),
                List.of(new ContainerSpec.TmpfsMount("/tmp", 1L << 20)), List.of(), List.of(), null, null);
        var oci = BundleBuilder.build(new BundleContext(spec, host, RANGE, Map.of(), "/berth-test/" + id));
        oci.root.path = rootfs.toString();
        Path bundle = work.resolve(id);
        Files.createDirectories(bundle);
        Files.writeString(bundle.resolve("config.json"), ConfigJson.write(oci));
        try {
            return run(List.of(RuntimePrerequisites.RUNC.toString(), "run", "--bundle", bundle.toString(), id));
        } finally {
            run(List.of(RuntimePrerequisites.RUNC.toString(), "delete", "--force", id));
        }
    }

    private static String field(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1).strip())
                .findFirst().orElseThrow(() -> new AssertionError(name + " not in " + status));
    }

    @Test
    void theProcessRunsWithOnlyTheDefaultCapabilityNoNewPrivilegesAndASeccompFilter() throws Exception {
        String status = inContainer("cat /proc/self/status");
        long netBindService = 1L << 10;
        assertThat(Long.parseLong(field(status, "CapBnd"), 16)).isEqualTo(netBindService);
        assertThat(Long.parseLong(field(status, "CapEff"), 16)).isEqualTo(netBindService);
        assertThat(Long.parseLong(field(status, "CapAmb"), 16)).isZero();
        assertThat(field(status, "NoNewPrivs")).isEqualTo("1");
        assertThat(field(status, "Seccomp")).isEqualTo("2");
    }

    @Test
    void rootIsReadOnlyAndTmpfsIsWritableButNoexec() throws Exception {
        String out = inContainer("touch /x 2>&1; echo root=$?; touch /tmp/y && echo tmp=ok; "
                + "cp /bin/busybox /tmp/bb 2>/dev/null || cat /bin/busybox > /tmp/bb; chmod +x /tmp/bb; /tmp/bb true 2>&1; echo exec=$?");
        assertThat(out).contains("Read-only file system").contains("root=1").contains("tmp=ok");
        assertThat(out).as(out).contains("Permission denied").containsPattern("exec=(126|1|2)");
    }

    @Test
    void containerRootIsAnUnprivilegedHostRange() throws Exception {
        String out = inContainer("cat /proc/self/uid_map /proc/self/gid_map");
        assertThat(out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList())
                .containsExactly("0     " + RANGE.hostStart() + "      65536", "0     " + RANGE.hostStart() + "      65536");
    }

    @Test
    void blockedSyscallsFailWithEperm() throws Exception {
        String out = inContainer("unshare -U true 2>&1; echo unshare=$?; mount -t tmpfs t /tmp 2>&1; echo mount=$?; "
                + "mknod /tmp/sda b 8 0 2>&1; echo mknod=$?");
        assertThat(out).contains("Operation not permitted").contains("unshare=1").contains("mount=1").contains("mknod=1");
    }

    @Test
    void devHoldsOnlyTheAllowedDevicesAndProcIsMasked() throws Exception {
        String out = inContainer("ls /dev; echo ---; cat /proc/kcore 2>&1 | head -c 64; echo; echo kcore-done");
        var devices = new ArrayList<>(out.substring(0, out.indexOf("---")).lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
        assertThat(devices).containsExactlyInAnyOrder("fd", "full", "mqueue", "null", "ptmx", "pts", "random", "shm",
                "stderr", "stdin", "stdout", "tty", "urandom", "zero");
        assertThat(out.substring(out.indexOf("---"))).doesNotContain("ELF");
    }
}
