package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.cli.RunArguments;
import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.agent.runtime.Busybox;
import dev.berth.agent.runtime.RuntimePrerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real runc container's resource sample reaches its status: CPU, memory within the spec's limit, pids, network. */
class ResourceSamplesTest {
    private Path work;
    private AgentService agent;

    @BeforeEach
    void setUp() throws Exception {
        RuntimePrerequisites.require();
        work = Files.createTempDirectory("berth-agent-metrics");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        agent = AgentService.open(work.resolve("state"), RuntimePrerequisites.RUNC);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (agent != null) {
            for (var c : agent.ps()) {
                agent.stop(c.name(), Duration.ofSeconds(1));
                agent.remove(c.name());
            }
            agent.close();
        }
        try (Stream<Path> paths = Files.walk(work)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Test
    void aRunningContainerReportsItsCpuMemoryLimitAndPids() throws Exception {
        Path rootfs = Busybox.tree(work.resolve("busybox"), "sh", "sleep", "seq");
        // Burns some CPU, keeps a few processes, then waits: "started" says the burn is done.
        agent.run(RunArguments.parse(List.of("--name", "busy-1", "--app", "busy", "--rootfs", rootfs.toString(),
                "--memory", "64Mi", "--pids", "64", "--", "/bin/sh", "-c",
                "for i in $(seq 1 20000); do :; done; sleep 600 & sleep 600 & echo started; wait")));
        while (!Files.readString(agent.logFile("busy-1")).contains("started")) Thread.sleep(20);

        agent.samples().sampleAll();
        var metrics = agent.statuses().stream().filter(s -> s.name().equals("busy-1")).findFirst()
                .map(ContainerStatus::metrics).orElseThrow();

        assertThat(metrics.cpuNanos()).isPositive();
        assertThat(metrics.memoryBytes()).isPositive().isLessThanOrEqualTo(64L << 20);
        assertThat(metrics.memoryLimitBytes()).isEqualTo(64L << 20);
        assertThat(metrics.pids()).isGreaterThanOrEqualTo(3); // sh and its two sleeps
        assertThat(metrics.rxBytes()).isNotNegative();
        assertThat(metrics.txBytes()).isNotNegative();

        agent.stop("busy-1", Duration.ofSeconds(1));
        agent.samples().sampleAll();
        assertThat(agent.statuses().stream().filter(s -> s.name().equals("busy-1")).findFirst().orElseThrow().metrics())
                .as("an ended container has no sample").isNull();
    }
}
