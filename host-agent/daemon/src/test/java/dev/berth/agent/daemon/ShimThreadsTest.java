package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.runtime.Busybox;
import dev.berth.agent.runtime.RuntimePrerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The daemon's threads do not grow with its containers: each container's start shim is forked
 * off rather than kept as the daemon's child, so the JDK keeps no "process reaper" thread waiting
 * for it (one such thread per container was 221 threads at 200 containers).
 */
class ShimThreadsTest {
    private static final int FIRST = 4;
    private static final int MORE = 16;

    private Path work;
    private Path state;
    private Process daemon;

    @Test
    void moreContainersCostTheDaemonNoThreads() throws Exception {
        RuntimePrerequisites.require();
        work = TestAgents.passableTempDirectory("berth-shim-threads");
        Path rootfs = Busybox.tree(work.resolve("busybox"), "sh", "sleep");
        state = work.resolve("state").toAbsolutePath();
        daemon = TestDaemon.start(state, work.resolve("daemon.log"), work);

        // The first ones warm up the daemon's pools (the JDK's reaper threads for short runc calls included).
        for (int i = 0; i < FIRST; i++) run(rootfs, i);
        long before = threads();
        for (int i = FIRST; i < FIRST + MORE; i++) run(rootfs, i);
        long after = threads();

        assertThat(after - before).as("daemon threads with %d containers (%d) beside %d containers (%d)", FIRST + MORE, after, FIRST,
                before).isLessThan(MORE / 2);
        List<Long> shims = AgentProcessSample.shimPids(state.resolve("runc"));
        assertThat(shims).as("a shim and a foreground runc per container").hasSize(2 * (FIRST + MORE));
        for (long shim : shims) {
            assertThat(ProcessHandle.of(shim).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
                    .as("the parent of shim %d", shim).isNotEqualTo(java.util.Optional.of(daemon.pid()));
        }
    }

    private void run(Path rootfs, int i) {
        var result = TestDaemon.cli(state, "run", "--name", String.format("threads-%02d", i), "--app", "threads", "--rootfs", rootfs.toString(),
                "--memory", "16Mi", "--pids", "16", "--", "/bin/sleep", "1000000");
        assertThat(result.exit()).as(result.err() + result.out()).isZero();
    }

    private long threads() throws Exception {
        Thread.sleep(2000); // let the starts' own work end
        return AgentProcessSample.statusField(daemon.pid(), "Threads:");
    }

    /** Kills the daemon; an agent in this JVM adopts, stops and removes every container, then the files go. */
    @AfterEach
    void cleanUp() throws Exception {
        if (daemon != null && daemon.isAlive()) {
            daemon.destroyForcibly();
            daemon.waitFor(30, TimeUnit.SECONDS);
        }
        if (state != null && Files.isDirectory(state.resolve("containers"))) {
            try (var agent = AgentService.open(state, RuntimePrerequisites.RUNC)) {
                for (var c : new ArrayList<>(agent.ps())) {
                    agent.stop(c.name(), Duration.ZERO);
                    agent.remove(c.name());
                }
            }
        }
        if (work != null && AgentProcessSample.shimPids(state.resolve("runc")).isEmpty()) {
            try (Stream<Path> paths = Files.walk(work)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }
}
