package dev.berth.agent.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HostRequirementsTest {
    private static final Set<String> ALL = Set.of("memory", "pids", "cpu", "cpuset", "devices");
    private static final KernelFeatures FULL = new KernelFeatures(true, true, ALL, true);

    @Test
    void aCompleteHostHasNoGaps() {
        assertThat(HostRequirements.gaps(TestHosts.amd64(false), FULL)).isEmpty();
        assertThat(HostRequirements.refusal(HostRequirements.gaps(TestHosts.amd64(false), FULL))).isNull();
    }

    static Stream<Arguments> lacking() {
        return Stream.of(
                Arguments.of(new KernelFeatures(false, true, ALL, true), "user namespaces", "max_user_namespaces"),
                Arguments.of(new KernelFeatures(true, false, ALL, true), "seccomp filters", "CONFIG_SECCOMP_FILTER"),
                Arguments.of(new KernelFeatures(true, true, Set.of("pids", "cpu"), true), "the memory cgroup controller",
                        "cgroup_enable=memory"),
                Arguments.of(new KernelFeatures(true, true, Set.of("memory", "cpu"), true), "the pids cgroup controller",
                        "cgroup_enable=pids"),
                Arguments.of(new KernelFeatures(true, true, ALL, false), "loop devices", "modprobe loop"));
    }

    @ParameterizedTest
    @MethodSource("lacking")
    void eachMissingFeatureIsNamedWithItsFix(KernelFeatures kernel, String feature, String fix) {
        var gaps = HostRequirements.gaps(TestHosts.amd64(false), kernel);
        assertThat(gaps).singleElement().satisfies(g -> {
            assertThat(g.feature()).isEqualTo(feature);
            assertThat(g.fix()).contains(fix);
        });
        assertThat(HostRequirements.refusal(gaps)).startsWith("this host lacks").contains(feature);
    }

    @Test
    void everyGapIsListedNotJustTheFirst() {
        var bare = new KernelFeatures(false, false, Set.of(), false);
        assertThat(HostRequirements.gaps(TestHosts.amd64(false), bare)).extracting(HostRequirements.Gap::feature)
                .containsExactly("user namespaces", "seccomp filters", "the memory cgroup controller",
                        "the pids cgroup controller", "the cpu cgroup controller", "loop devices");
    }

    @Test
    void probeReadsProcAndDev(@TempDir Path root) throws Exception {
        Path proc = Files.createDirectories(root.resolve("proc"));
        Path dev = Files.createDirectories(root.resolve("dev"));
        Files.createDirectories(proc.resolve("self/ns"));
        Files.writeString(proc.resolve("self/ns/user"), "");
        Files.createDirectories(proc.resolve("sys/user"));
        Files.writeString(proc.resolve("sys/user/max_user_namespaces"), "0\n");
        Files.createDirectories(proc.resolve("sys/kernel/seccomp"));
        Files.writeString(proc.resolve("sys/kernel/seccomp/actions_avail"), "kill_process kill_thread trap errno user_notif trace log allow\n");
        Files.writeString(proc.resolve("cgroups"), """
                #subsys_name	hierarchy	num_cgroups	enabled
                cpu	1	3	1
                memory	0	59	0
                pids	8	3	1
                """);

        var kernel = HostProbe.kernel(proc, dev);

        assertThat(kernel.userNamespaces()).as("max_user_namespaces is 0").isFalse();
        assertThat(kernel.seccompFilters()).isTrue();
        assertThat(kernel.cgroupControllers()).containsExactlyInAnyOrder("cpu", "pids");
        assertThat(kernel.loopDevices()).isFalse();
    }

    @Test
    void thisHostPassesAsProbed() throws Exception {
        // The machine the tests run on runs containers, so it must have everything.
        var kernel = HostProbe.kernel(Path.of("/proc"), Path.of("/dev"));
        assertThat(kernel.userNamespaces()).isTrue();
        assertThat(kernel.seccompFilters()).isTrue();
        assertThat(kernel.cgroupControllers()).contains("memory", "pids", "cpu");
    }
}
