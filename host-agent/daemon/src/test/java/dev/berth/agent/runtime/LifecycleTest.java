package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.protocol.ContainerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Start, exit codes, graceful and forced stop, OOM kills, logs, and adoption by a new agent. */
class LifecycleTest {
    private RuntimeFixture host;
    private final List<ContainerProcess> started = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        host = new RuntimeFixture(new IdRange(10 * 65536, IdRange.SIZE), "sh", "echo", "sleep", "tail", "true");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (ContainerProcess c : started) {
            c.stop(Duration.ofSeconds(1));
            c.delete();
        }
        host.close();
    }

    private ContainerProcess start(ContainerSpec spec) throws Exception {
        Path dir = host.containerDir(spec);
        var c = ContainerProcess.start(host.runc, spec.name(),
                host.bundle(spec, Map.of()), dir, dir.resolve("output.log"),
                ContainerProcess.memoryCgroup(Path.of("/sys/fs/cgroup"), host.host.cgroupV2(), RuntimeFixture.cgroupsPath(spec)));
        started.add(c);
        return c;
    }

    private String log(ContainerSpec spec) throws Exception {
        return Files.readString(host.work.resolve("containers").resolve(spec.name()).resolve("output.log"));
    }

    @Test
    void theExitCodeAndOutputAreKept() throws Exception {
        var spec = host.spec("echo hello from inside; exit 3");
        var c = start(spec);
        assertThat(c.await(Duration.ofSeconds(10))).hasValue(new ExitStatus(3, false));
        assertThat(log(spec)).contains("hello from inside");
    }

    @Test
    void stopSendsTermAndWaitsForAGracefulExit() throws Exception {
        var spec = host.spec("trap 'echo got TERM; exit 0' TERM; echo ready; while true; do sleep 1; done");
        var c = start(spec);
        while (!log(spec).contains("ready")) Thread.sleep(10);
        assertThat(c.state().status()).isEqualTo("running");
        assertThat(c.stop(Duration.ofSeconds(10))).isEqualTo(new ExitStatus(0, false));
        assertThat(log(spec)).contains("got TERM");
    }

    @Test
    void aContainerThatIgnoresTermIsKilledAfterTheGracePeriod() throws Exception {
        var spec = host.spec("trap '' TERM; echo ready; while true; do sleep 1; done");
        var c = start(spec);
        while (!log(spec).contains("ready")) Thread.sleep(10);
        long before = System.nanoTime();
        assertThat(c.stop(Duration.ofMillis(1500))).isEqualTo(new ExitStatus(137, false));
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void anOomKillIsReportedAsSuch() throws Exception {
        var spec = host.spec("tail /dev/zero", new ContainerSpec.Resources(16L << 20, 500, 64), List.of());
        var c = start(spec);
        var status = c.await(Duration.ofSeconds(30)).orElseThrow();
        assertThat(status.oomKilled()).as(status.toString()).isTrue();
        assertThat(status.code()).isEqualTo(137);
    }

    @Test
    void thePidsLimitStopsAForkStorm() throws Exception {
        // 40 background sleeps against a limit of 16 tasks: the shell's fork fails and it gives up.
        var spec = host.spec("i=0; while [ $i -lt 40 ]; do sleep 30 & i=$((i+1)); echo forked $i; done",
                new ContainerSpec.Resources(64L << 20, 500, 16), List.of());
        var c = start(spec);
        assertThat(c.await(Duration.ofSeconds(20))).isPresent();
        String log = log(spec);
        assertThat(log).containsIgnoringCase("can't fork").contains("forked 10").doesNotContain("forked 16");
    }

    @Test
    void aNewAgentAdoptsARunningContainerAndStillLearnsItsExitCode() throws Exception {
        var spec = host.spec("trap 'exit 7' TERM; while true; do sleep 1; done");
        var first = start(spec);
        long pid = first.state().pid();
        // A fresh object with nothing but the id and the state directory, as after an agent restart.
        var adopted = ContainerProcess.adopt(Runc.forStateDirectory(RuntimePrerequisites.RUNC, host.work), spec.name(),
                host.containerDir(spec),
                ContainerProcess.memoryCgroup(Path.of("/sys/fs/cgroup"), host.host.cgroupV2(), RuntimeFixture.cgroupsPath(spec)));
        assertThat(adopted.state().pid()).isEqualTo(pid);
        assertThat(adopted.stop(Duration.ofSeconds(10))).isEqualTo(new ExitStatus(7, false));
        assertThat(first.exitStatus()).hasValue(new ExitStatus(7, false));
    }
}
