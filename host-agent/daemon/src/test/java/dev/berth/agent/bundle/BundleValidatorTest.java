package dev.berth.agent.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.protocol.ContainerSpec;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input and loosened specs, each refused by the named check with a reason a person can act on. */
class BundleValidatorTest {
    private static Arguments spec(String name, UnaryOperator<ContainerSpec> change, String check, String reasonPart) {
        return Arguments.of(name, change, check, reasonPart);
    }

    static Stream<Arguments> badSpecs() {
        var mi = 1L << 20;
        return Stream.of(
                spec("forbidden capability", s -> s.withCapabilities(List.of("SYS_ADMIN")), "capabilities",
                        "CAP_SYS_ADMIN is not allowed; an app may add only CAP_CHOWN, CAP_DAC_OVERRIDE"),
                spec("two forbidden capabilities", s -> s.withCapabilities(List.of("net_admin", "CAP_MKNOD")), "capabilities",
                        "CAP_MKNOD, CAP_NET_ADMIN is not allowed"),
                spec("volume under /proc", s -> s.withVolumes(List.of(new ContainerSpec.VolumeMount("data", "/proc/x", mi))),
                        "volume and tmpfs paths", "under /proc"),
                spec("tmpfs on /dev", s -> s.withTmpfs(List.of(new ContainerSpec.TmpfsMount("/dev", mi))),
                        "volume and tmpfs paths", "under /dev"),
                spec("volume on /sys/fs", s -> s.withVolumes(List.of(new ContainerSpec.VolumeMount("data", "/sys/fs", mi))),
                        "volume and tmpfs paths", "under /sys"),
                spec("relative volume path", s -> s.withVolumes(List.of(new ContainerSpec.VolumeMount("data", "data", mi))),
                        "volume and tmpfs paths", "must be absolute"),
                spec("escaping volume path", s -> s.withVolumes(List.of(new ContainerSpec.VolumeMount("data", "/data/../proc", mi))),
                        "volume and tmpfs paths", "'.' or '..'"),
                spec("volume over /", s -> s.withVolumes(List.of(new ContainerSpec.VolumeMount("data", "/", mi))),
                        "volume and tmpfs paths", "nothing may be mounted over /"),
                spec("escaping volume name", s -> s.withVolumes(List.of(new ContainerSpec.VolumeMount("../etc", "/data", mi))),
                        "volume and tmpfs paths", "volume name '../etc'"),
                spec("overlapping mounts", s -> s.withVolumes(List.of(new ContainerSpec.VolumeMount("data", "/data", mi)))
                        .withTmpfs(List.of(new ContainerSpec.TmpfsMount("/data/cache", mi))), "volume and tmpfs paths", "overlap"),
                spec("empty tmpfs", s -> s.withTmpfs(List.of(new ContainerSpec.TmpfsMount("/tmp", 0))),
                        "volume and tmpfs paths", "positive size"),
                spec("working directory in /proc", s -> s.withWorkingDir("/proc/self"), "working directory", "under /proc"),
                spec("relative working directory", s -> s.withWorkingDir("srv"), "working directory", "must be absolute"),
                spec("tiny memory", s -> s.withResources(new ContainerSpec.Resources(1L << 20, 100, 10)), "resources", "at least 4Mi"),
                spec("no pids", s -> s.withResources(new ContainerSpec.Resources(64L << 20, 100, 0)), "resources", "pids limit"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSpecs")
    void badSpecsAreRefusedByTheNamedCheck(String name, UnaryOperator<ContainerSpec> change, String check, String reasonPart) {
        var spec = change.apply(TestHosts.web());
        var volumes = spec.volumes().stream().collect(java.util.stream.Collectors.toMap(
                ContainerSpec.VolumeMount::name, v -> "/var/lib/berth-agent/volumes/x/" + v.name(), (a, b) -> a));
        var context = new BundleContext(spec, TestHosts.amd64(false), new IdRange(131072, IdRange.SIZE), TestHosts.ROOTFS, volumes,
                "/berth/x");
        assertThatThrownBy(() -> BundleBuilder.build(context))
                .isInstanceOfSatisfying(BundleRejected.class, e -> assertThat(e.violations())
                        .anySatisfy(v -> {
                            assertThat(v.check()).isEqualTo(check);
                            assertThat(v.reason()).contains(reasonPart);
                        }));
    }

    /** Options that try to loosen the profile after the defaults: the validator has the last word. */
    static Stream<Arguments> loosenings() {
        return Stream.of(
                Arguments.of("writable root", (SpecOption) (s, c) -> s.root.readonly = false, "read-only root"),
                Arguments.of("host root as rootfs", (SpecOption) (s, c) -> s.root.path = "/", "root filesystem"),
                Arguments.of("new privileges", (SpecOption) (s, c) -> s.process.noNewPrivileges = false, "no new privileges"),
                Arguments.of("no user namespace", (SpecOption) (s, c) -> s.linux.namespaces.removeIf(n -> n.type().equals("user")),
                        "namespaces"),
                Arguments.of("host root mapped", (SpecOption) (s, c) -> s.linux.uidMappings = new java.util.ArrayList<>(
                        List.of(new OciSpec.IdMapping(0, 0, 65536))), "user namespace mapping"),
                Arguments.of("SYS_ADMIN smuggled in", (SpecOption) (s, c) -> s.process.capabilities.bounding.add("CAP_SYS_ADMIN"),
                        "capabilities"),
                Arguments.of("ambient caps", (SpecOption) (s, c) -> s.process.capabilities.ambient.add("CAP_NET_BIND_SERVICE"),
                        "capabilities"),
                Arguments.of("seccomp off", (SpecOption) (s, c) -> s.linux.seccomp = null, "seccomp"),
                Arguments.of("seccomp allow by default", (SpecOption) (s, c) -> s.linux.seccomp = new OciSpec.Seccomp(
                        "SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_X86_64"), List.of()), "seccomp"),
                Arguments.of("host block device", (SpecOption) (s, c) -> s.linux.resources.devices.add(
                        new OciSpec.DeviceRule(true, "b", 8L, 0L, "rwm")), "devices"),
                Arguments.of("kcore unmasked", (SpecOption) (s, c) -> s.linux.maskedPaths.remove("/proc/kcore"),
                        "masked and read-only paths"),
                Arguments.of("suid mount", (SpecOption) (s, c) -> s.mounts.add(
                        new OciSpec.Mount("/opt", "tmpfs", "tmpfs", List.of("nodev"))), "mount flags"),
                Arguments.of("option runc lacks", (SpecOption) (s, c) -> s.mounts.add(
                        new OciSpec.Mount("/opt", "tmpfs", "tmpfs", List.of("nosuid", "idmap"))), "runtime support"),
                Arguments.of("unlimited swap", (SpecOption) (s, c) -> s.linux.resources.memory = new OciSpec.Memory(64L << 20, -1),
                        "resources"),
                Arguments.of("a hook of its own", (SpecOption) (s, c) -> {
                    s.hooks = new OciSpec.Hooks();
                    s.hooks.createRuntime.add(new OciSpec.Hook("/usr/bin/curl", List.of("curl", "http://203.0.113.1/"), null, 5));
                }, "hooks"),
                Arguments.of("the network hook twice", (SpecOption) (s, c) -> {
                    SpecOptions.network(HOOK).apply(s, c);
                    s.hooks.createRuntime.add(HOOK.hook());
                }, "hooks"),
                Arguments.of("the network hook with another script", (SpecOption) (s, c) -> {
                    s.hooks = new OciSpec.Hooks();
                    s.hooks.createRuntime.add(new OciSpec.Hook("/bin/sh", List.of("sh", "-c", "rm -rf /", NetworkHook.NAME, "/a", "/b"),
                            null, 5));
                }, "hooks"),
                Arguments.of("the network hook without timeout", (SpecOption) (s, c) -> {
                    s.hooks = new OciSpec.Hooks();
                    var h = HOOK.hook();
                    s.hooks.createRuntime.add(new OciSpec.Hook(h.path(), h.args(), h.env(), null));
                }, "hooks"),
                Arguments.of("the host's network namespace", (SpecOption) (s, c) -> {
                    SpecOptions.network(HOOK).apply(s, c);
                    s.linux.namespaces.replaceAll(n -> n.type().equals("network") ? new OciSpec.Namespace("network", "/proc/1/ns/net") : n);
                }, "joined namespaces"),
                Arguments.of("another joined namespace", (SpecOption) (s, c) -> {
                    SpecOptions.network(HOOK).apply(s, c);
                    s.linux.namespaces.replaceAll(n -> n.type().equals("pid") ? new OciSpec.Namespace("pid", "/run/pidns") : n);
                }, "joined namespaces"),
                Arguments.of("a joined network namespace in a user namespace of its own", (SpecOption) (s, c) -> {
                    SpecOptions.network(HOOK).apply(s, c);
                    s.linux.namespaces.replaceAll(n -> n.type().equals("user") ? new OciSpec.Namespace("user") : n);
                }, "joined namespaces"),
                Arguments.of("joined namespaces without the hook", (SpecOption) (s, c) -> {
                    SpecOptions.network(HOOK).apply(s, c);
                    s.hooks = null;
                }, "joined namespaces"));
    }

    private static final NetworkHook HOOK = new NetworkHook("/var/lib/berth-agent/containers/web/net.request",
            "/var/lib/berth-agent/containers/web/net.reply", "/var/lib/berth-agent/network/resolv/web",
            "/var/lib/berth-agent/network/netns/web", "/var/lib/berth-agent/network/userns/web", 30);

    @org.junit.jupiter.api.Test
    void theNetworkOptionJoinsTheAgentsNamespacesWithTheHookAndAReadOnlyResolvConf() {
        var options = new java.util.ArrayList<>(SpecOptions.all());
        options.add(SpecOptions.network(HOOK));
        var spec = BundleBuilder.build(TestHosts.context(TestHosts.web()), options);
        assertThat(spec.hooks.createRuntime).singleElement().satisfies(h -> {
            assertThat(h.path()).isEqualTo("/bin/sh");
            assertThat(h.args()).containsExactly("sh", "-c", NetworkHook.SCRIPT, NetworkHook.NAME, HOOK.request(), HOOK.reply());
            assertThat(h.timeout()).isEqualTo(30);
        });
        assertThat(spec.mounts).contains(new OciSpec.Mount("/etc/resolv.conf", "bind", HOOK.resolvConf(),
                List.of("rbind", "ro", "nosuid", "nodev", "noexec")));
        assertThat(spec.linux.namespaces).contains(new OciSpec.Namespace("network", HOOK.netns()), new OciSpec.Namespace("user", HOOK.userns()))
                .doesNotContain(new OciSpec.Namespace("network"), new OciSpec.Namespace("user"));
        assertThat(spec.linux.uidMappings).as("runc still needs the mapping").hasSize(1);
        assertThat(BundleBuilder.build(TestHosts.context(TestHosts.web())).hooks).as("no network, no hook").isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("loosenings")
    void noOptionCanLoosenTheProfile(String name, SpecOption loosen, String check) {
        var options = new java.util.ArrayList<>(SpecOptions.all());
        options.add(loosen);
        assertThatThrownBy(() -> BundleBuilder.build(TestHosts.context(TestHosts.web()), options))
                .isInstanceOfSatisfying(BundleRejected.class,
                        e -> assertThat(e.violations()).extracting(BundleRejected.Violation::check).contains(check));
    }

    /** The root filesystem enters through its option, before validation: a hostile one is refused like any other setting. */
    @ParameterizedTest(name = "root filesystem {0}")
    @org.junit.jupiter.params.provider.CsvSource(quoteCharacter = '"', value = {
            "/, the host's own root",
            "rootfs, must be absolute",
            "/var/lib/berth-agent/rootfs/../../../etc, '.' or '..'",
            "/proc/1/root, under /proc",
            "/sys/fs/cgroup, under /sys",
            "/var/lib/berth-agent/rootfs/web/, must not end with '/'"})
    void aHostileRootFilesystemIsRefusedByValidation(String rootfs, String reasonPart) {
        var base = TestHosts.context(TestHosts.web());
        var context = new BundleContext(base.container(), base.host(), base.ids(), rootfs, base.volumeSources(), base.cgroupsPath());
        assertThatThrownBy(() -> BundleBuilder.build(context))
                .isInstanceOfSatisfying(BundleRejected.class, e -> assertThat(e.violations()).singleElement()
                        .satisfies(v -> {
                            assertThat(v.check()).isEqualTo("root filesystem");
                            assertThat(v.reason()).contains(reasonPart);
                        }));
    }

    @org.junit.jupiter.api.Test
    void theValidatedSpecCarriesThePreparedRootFilesystem() {
        assertThat(BundleBuilder.build(TestHosts.context(TestHosts.web())).root.path).isEqualTo(TestHosts.ROOTFS);
    }

    @org.junit.jupiter.api.Test
    void aRuncWithoutTheCgroupNamespaceCannotRunOnTheUnifiedHierarchy() {
        var f = TestHosts.amd64(true).runtime();
        var lacking = new HostFacts.RuntimeFeatures(f.ociVersionMax(), f.mountOptions(),
                Set.of("ipc", "mount", "network", "pid", "user", "uts"), f.capabilities(), f.seccompActions(),
                f.seccompArchitectures(), f.seccompOperators());
        var host = new HostFacts("amd64", true, "6.1.0", lacking);
        assertThatThrownBy(() -> BundleBuilder.build(TestHosts.context(TestHosts.web(), host)))
                .hasMessageContaining("runtime support: runc does not support the cgroup namespace");
    }
}
