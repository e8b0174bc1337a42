package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.protocol.ContainerSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generated bundle on real runc and the real kernel: a busybox container reports, from inside,
 * what the profile promised. {@link IsolationReportTest} reads the same facts from outside.
 */
class ProfileOnRuncTest {
    private static final IdRange RANGE = new IdRange(6 * 65536, IdRange.SIZE);
    private static RuntimeFixture host;

    @BeforeAll
    static void setUp() throws IOException {
        host = new RuntimeFixture(RANGE, "sh", "cat", "grep", "echo", "ls", "id", "unshare", "mount", "mknod", "touch",
                "cp", "chmod", "head", "true");
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (host != null) host.close();
    }

    /** Runs a shell script as a container built from the profile and returns what it printed. */
    private static String inContainer(String script) throws IOException, InterruptedException {
        var spec = host.spec(script, new ContainerSpec.Resources(64L << 20, 500, 64),
                List.of(new ContainerSpec.TmpfsMount("/tmp", 1L << 20)));
        return host.runToEnd(spec, Map.of());
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
                + "cp /bin/busybox /tmp/bb; chmod +x /tmp/bb; /tmp/bb true 2>&1; echo exec=$?");
        assertThat(out).contains("Read-only file system").contains("root=1").contains("tmp=ok");
        assertThat(out).as(out).contains("Permission denied").containsPattern("exec=(126|1|2)");
    }

    @Test
    void containerRootIsAnUnprivilegedHostRange() throws Exception {
        String out = inContainer("cat /proc/self/uid_map /proc/self/gid_map");
        assertThat(out.lines().map(l -> l.strip().replaceAll("\\s+", " ")).filter(l -> !l.isEmpty()).toList())
                .containsExactly("0 " + RANGE.hostStart() + " 65536", "0 " + RANGE.hostStart() + " 65536");
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
