package dev.berth.agent;

import static dev.berth.agent.link.StandInPlatform.HOST_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.daemon.AgentOptions;
import dev.berth.agent.daemon.AgentService;
import dev.berth.agent.daemon.BusyboxImage;
import dev.berth.agent.link.PlatformLink;
import dev.berth.agent.link.StandInPlatform;
import dev.berth.agent.protocol.AssignedContainer;
import dev.berth.agent.protocol.Assignment;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.agent.runtime.Busybox;
import dev.berth.agent.runtime.RuntimePrerequisites;
import dev.berth.agent.state.PortRange;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A platform that asks for host resources, through the real link and agent on real runc: the
 * entries that name a host directory, host port or host address are reported failed with the
 * field and why, never applied, and the rest of the assignment runs.
 */
class PlatformRefusalTest {
    private static final PlatformLink.Timing FAST = new PlatformLink.Timing(Duration.ofMillis(200), Duration.ofMillis(50), 1,
            Duration.ofMillis(100));
    private Path work;
    private Path state;
    private StandInPlatform platform;
    private AgentService agent;
    private PlatformLink link;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        RuntimePrerequisites.require();
        work = Files.createTempDirectory("berth-refusal-test");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        state = work.resolve("state");
        platform = new StandInPlatform();
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        agent = AgentService.open(state, RuntimePrerequisites.RUNC, AgentOptions.defaults()
                .withPublishAddress("127.0.0.1", null).withPortRange(new PortRange(port, port)));
        BusyboxImage.importInto(agent, work);
        var log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        link = PlatformLink.join(platform.uri(), state, "berth-join_refusalrefusal", FAST, log);
        agent.onChange(link::reportSoon);
        link.start(DaemonCommand.linked(agent));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (agent != null) {
            platform.assign(new Assignment(Assignment.VERSION, HOST_ID, 1000, List.of()));
            Await.until(() -> agent.ps().isEmpty());
        }
        if (link != null) link.close();
        if (agent != null) agent.close();
        platform.close();
        try (Stream<Path> paths = Files.walk(work)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static ContainerSpec spec(String name, String rootfs, String image, List<ContainerSpec.PortPublish> ports) {
        return new ContainerSpec(ContainerSpec.VERSION, name, "web", rootfs, image, List.of("/bin/sleep", "600"), null, null, null,
                new ContainerSpec.Resources(64L << 20, 500, 64), null, null, ports, null, null, null, null, null);
    }

    private static Assignment generation(long n, ContainerSpec... specs) {
        return new Assignment(Assignment.VERSION, HOST_ID, n,
                Stream.of(specs).map(s -> new AssignedContainer(s, n, Map.of())).toList());
    }

    private Optional<ContainerStatus> reported(String name) {
        if (platform.heartbeats.isEmpty()) return Optional.empty();
        return platform.heartbeats.getLast().containers().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    private boolean reportedAs(String name, String state) {
        return reported(name).map(s -> s.state().equals(state)).orElse(false);
    }

    @Test
    void entriesNamingHostResourcesAreReportedFailedAndNeverAppliedWhileTheRestRuns() throws Exception {
        Path hostDir = Busybox.tree(work.resolve("host-dir"), "sh", "sleep");
        var good = spec("good-1", null, BusyboxImage.REFERENCE, List.of(new ContainerSpec.PortPublish(null, 0, 8080)));
        var rootfs = spec("rootfs-1", hostDir.toString(), null, List.of());
        var hostPort = spec("port-1", null, BusyboxImage.REFERENCE, List.of(new ContainerSpec.PortPublish(null, 22, 8080)));
        var hostAddress = spec("addr-1", null, BusyboxImage.REFERENCE,
                List.of(new ContainerSpec.PortPublish("0.0.0.0", 0, 8080)));
        platform.assign(generation(1, rootfs, good, hostPort, hostAddress));

        Await.until(() -> reportedAs("good-1", "running") && reportedAs("rootfs-1", "failed") && reportedAs("port-1", "failed")
                && reportedAs("addr-1", "failed"));
        assertThat(reported("rootfs-1").orElseThrow().error()).startsWith("refused by the agent")
                .contains("rootfs names a host directory (" + hostDir + ")");
        assertThat(reported("port-1").orElseThrow().error()).contains("ports[0].hostPort 22");
        assertThat(reported("addr-1").orElseThrow().error()).contains("ports[0].hostAddress '0.0.0.0'");
        assertThat(agent.ps()).extracting(c -> c.name()).containsExactly("good-1");
        assertThat(state.resolve("containers")).isDirectoryNotContaining(p -> !p.getFileName().toString().equals("good-1"));
        assertThat(platform.logText("rootfs-1")).contains("cannot start rootfs-1").contains("refused by the agent");
        // The notes shipped as the container's log are root's alone on the host.
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("failures")))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("failures/rootfs-1.log"))))
                .isEqualTo("rw-------");

        // A running platform container whose next assignment names a host directory goes, and is not replaced.
        platform.assign(generation(2, spec("good-1", hostDir.toString(), null, List.of())));
        Await.until(() -> reportedAs("good-1", "failed") && agent.ps().isEmpty());
        assertThat(reported("good-1").orElseThrow().error()).contains("rootfs names a host directory");
    }

}
