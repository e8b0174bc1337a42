package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.AssignedContainer;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.protocol.ContainerSpec.PortPublish;
import dev.berth.agent.protocol.ContainerSpec.TmpfsMount;
import dev.berth.agent.protocol.ContainerSpec.UserId;
import dev.berth.agent.protocol.ContainerSpec.VolumeMount;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the platform may not ask a host for, field by field. */
class PlatformGrantTest {
    /** What the platform sends for a replica (see platform-web's ContainerSpecs): an image, host port 0, no host address. */
    private static final ContainerSpec PLATFORM = new ContainerSpec(ContainerSpec.VERSION, "web-1", "acme.web", null,
            "registry.example.com/acme/web@sha256:" + "a".repeat(64), List.of("/bin/httpd"), Map.of("A", "1"),
            new UserId(1000, 1000), null, null, List.of(new VolumeMount("data", "/data", 8L << 20)),
            List.of(new TmpfsMount("/tmp", 1L << 20)), List.of(new PortPublish(null, 0, 8080)), List.of("NET_BIND_SERVICE"),
            null, null, ContainerSpec.RestartPolicy.ON_FAILURE, null);

    private static Arguments row(String field, UnaryOperator<ContainerSpec> change, String... said) {
        return Arguments.of(field, change, List.of(said));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                row("rootfs", s -> s.withRootfs("/srv/rootfs").withImage(null), "rootfs names a host directory (/srv/rootfs)",
                        "berth-agent run --rootfs"),
                row("rootfs beside an image", s -> s.withRootfs("/"), "rootfs names a host directory (/)"),
                row("no image", s -> s.withImage(null), "image is missing"),
                row("host port", s -> s.withPorts(List.of(new PortPublish(null, 22, 8080))), "ports[0].hostPort 22", "--port-range"),
                row("host address", s -> s.withPorts(List.of(new PortPublish("127.0.0.1", 0, 8080))), "ports[0].hostAddress '127.0.0.1'",
                        "--publish-address"),
                row("both on the second port", s -> s.withPorts(List.of(new PortPublish(null, 0, 80), new PortPublish("10.0.0.1", 443, 443))),
                        "ports[1].hostAddress '10.0.0.1'", "ports[1].hostPort 443"),
                row("container port", s -> s.withPorts(List.of(new PortPublish(null, 0, 0))), "ports[0].containerPort 0 is not a port"),
                row("relative working directory", s -> s.withWorkingDir("../../etc"), "workingDir '../../etc' must be absolute"),
                row("working directory climbing out", s -> s.withWorkingDir("/srv/../../etc"), "workingDir '/srv/../../etc' must not contain '.' or '..'"),
                row("working directory in the runtime's /proc", s -> s.withWorkingDir("/proc/1/root"),
                        "workingDir '/proc/1/root' is under /proc"),
                row("volume name naming a host path", s -> s.withVolumes(List.of(new VolumeMount("../../../etc", "/data", 8L << 20))),
                        "volumes[0].name '../../../etc'", "directory on the host"),
                row("volume path", s -> s.withVolumes(List.of(new VolumeMount("data", "data/..", 8L << 20))), "volumes[0].path 'data/..' must be absolute"),
                row("tmpfs path", s -> s.withTmpfs(List.of(new TmpfsMount("/sys/fs/cgroup", 1L << 20))), "tmpfs[0].path '/sys/fs/cgroup' is under /sys"),
                row("host uid", s -> s.withUser(new UserId(65536, 0)), "user 65536:0 is outside the container's ids"),
                row("negative gid", s -> s.withUser(new UserId(0, -1)), "user 0:-1 is outside"),
                row("container name as a host path", s -> s.withName("../escape"), "name '../escape'"),
                row("app name as a host path", s -> s.withApp("../../root"), "app '../../root'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesWhatOnlyAPersonAtTheHostMayUse(String field, UnaryOperator<ContainerSpec> change, List<String> said) {
        var assigned = new AssignedContainer(change.apply(PLATFORM), 1, Map.of());
        String refusal = PlatformGrant.refusal(assigned);
        assertThat(refusal).isNotNull().startsWith("refused by the agent");
        for (String s : said) assertThat(refusal).contains(s);
    }

    @Test
    void whatThePlatformSendsIsGranted() {
        assertThat(PlatformGrant.refusals(new AssignedContainer(PLATFORM, 1, Map.of("DB_PASSWORD", "x")))).isEmpty();
        var clean = PLATFORM.withWorkingDir("/srv/app").withUser(new UserId(65535, 65535))
                .withPorts(List.of(new PortPublish("", 0, 65535)));
        assertThat(PlatformGrant.refusal(new AssignedContainer(clean, 1, Map.of()))).isNull();
    }

    @Test
    void everyRefusalIsSaidAtOnce() {
        var bad = PLATFORM.withRootfs("/").withImage(null).withPorts(List.of(new PortPublish("0.0.0.0", 22, 22)));
        assertThat(PlatformGrant.refusals(new AssignedContainer(bad, 1, Map.of())))
                .hasSize(3).anySatisfy(r -> assertThat(r).startsWith("rootfs"))
                .anySatisfy(r -> assertThat(r).startsWith("ports[0].hostAddress"))
                .anySatisfy(r -> assertThat(r).startsWith("ports[0].hostPort"));
    }
}
