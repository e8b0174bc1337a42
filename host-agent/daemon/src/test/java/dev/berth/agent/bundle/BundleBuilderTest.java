package dev.berth.agent.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BundleBuilderTest {
    private static Set<String> allowedSyscalls(OciSpec spec) {
        return spec.linux.seccomp.syscalls().stream()
                .filter(r -> r.action().equals("SCMP_ACT_ALLOW") && r.args() == null)
                .flatMap(r -> r.names().stream()).collect(Collectors.toSet());
    }

    @Test
    void everyContainerGetsTheWholeProfile() {
        var spec = BundleBuilder.build(TestHosts.context(TestHosts.web()));
        assertThat(spec.root.readonly).isTrue();
        assertThat(spec.process.noNewPrivileges).isTrue();
        assertThat(spec.process.capabilities.bounding).containsExactly("CAP_NET_BIND_SERVICE");
        assertThat(spec.process.capabilities.ambient).isEmpty();
        assertThat(spec.linux.namespaces).extracting(OciSpec.Namespace::type)
                .containsExactlyInAnyOrder("pid", "network", "ipc", "uts", "mount", "user");
        assertThat(spec.linux.uidMappings).containsExactly(new OciSpec.IdMapping(0, 131072, 65536));
        assertThat(spec.linux.gidMappings).containsExactly(new OciSpec.IdMapping(0, 131072, 65536));
        assertThat(spec.linux.seccomp.defaultAction()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(spec.linux.seccomp.defaultErrnoRet()).isEqualTo(1L);
        assertThat(spec.linux.seccomp.architectures()).containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
        assertThat(spec.linux.resources.memory).isEqualTo(new OciSpec.Memory(128L << 20, 128L << 20));
        assertThat(spec.linux.resources.cpu).isEqualTo(new OciSpec.Cpu(50_000, 100_000));
        assertThat(spec.linux.resources.pids).isEqualTo(new OciSpec.Pids(128));
        assertThat(spec.linux.resources.devices.getFirst()).isEqualTo(ContainerProfile.DENY_ALL_DEVICES);
        assertThat(spec.process.rlimits).containsExactly(new OciSpec.Rlimit("RLIMIT_NOFILE", 4096, 4096));
        assertThat(spec.process.env).contains("GREETING=hello", "HOSTNAME=web-1");
        assertThat(spec.process.cwd).isEqualTo("/srv");
        assertThat(spec.process.user.uid).isEqualTo(1000);
    }

    @Test
    void volumesAndTmpfsAreNosuidNodevNoexecAndSizeCapped() {
        var spec = BundleBuilder.build(TestHosts.context(TestHosts.web()));
        assertThat(spec.mounts).contains(
                new OciSpec.Mount("/data", "bind", "/var/lib/berth-agent/volumes/web/data/mnt",
                        List.of("rbind", "rw", "nosuid", "nodev", "noexec")),
                new OciSpec.Mount("/tmp", "tmpfs", "tmpfs", List.of("nosuid", "nodev", "noexec", "mode=1777", "size=16777216")));
        assertThat(spec.mounts).filteredOn(m -> m.destination().equals("/proc"))
                .singleElement().satisfies(m -> assertThat(m.options()).contains("nosuid", "noexec", "nodev"));
        assertThat(spec.mounts).filteredOn(m -> m.destination().startsWith("/sys"))
                .allSatisfy(m -> assertThat(m.options()).contains("ro"));
    }

    @Test
    void aCgroupNamespaceOnlyOnTheUnifiedHierarchy() {
        var v2 = BundleBuilder.build(TestHosts.context(TestHosts.web(), TestHosts.amd64(true)));
        assertThat(v2.linux.namespaces).extracting(OciSpec.Namespace::type).contains("cgroup");
    }

    @Test
    void seccompFollowsTheGrantedCapabilities() {
        var plain = BundleBuilder.build(TestHosts.context(TestHosts.web()));
        assertThat(allowedSyscalls(plain)).contains("read", "write", "arch_prctl")
                .doesNotContain("unshare", "mount", "chroot", "reboot", "s390_runtime_instr");
        var withChroot = BundleBuilder.build(TestHosts.context(TestHosts.web().withCapabilities(List.of("SYS_CHROOT"))));
        assertThat(allowedSyscalls(withChroot)).contains("chroot").doesNotContain("unshare", "mount");
        assertThat(withChroot.process.capabilities.bounding).containsExactly("CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT");
    }

    @Test
    void aSpecWithoutACommandIsRefused() {
        assertThatThrownBy(() -> BundleBuilder.build(TestHosts.context(TestHosts.web().withCommand(List.of()))))
                .isInstanceOf(BundleRejected.class).hasMessageContaining("a command to run is required");
    }
}
