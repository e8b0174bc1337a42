package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.cli.RunArguments;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.runtime.Busybox;
import dev.berth.agent.runtime.ExitStatus;
import dev.berth.agent.runtime.RuntimePrerequisites;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent's Java API end to end on real runc: run, ps, inspect, exec, logs, stop, rm, adoption. */
class AgentServiceTest {
    private Path work;
    private Path rootfs;
    private AgentService agent;

    @BeforeEach
    void setUp() throws Exception {
        RuntimePrerequisites.require();
        work = Files.createTempDirectory("berth-agent-test");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        rootfs = Busybox.tree(work.resolve("busybox"), "sh", "echo", "httpd", "sleep", "cat", "true", "rm");
        agent = AgentService.open(work.resolve("state"), RuntimePrerequisites.RUNC);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (agent != null) {
            for (var c : agent.ps()) {
                agent.stop(c.name(), Duration.ofSeconds(1));
                agent.remove(c.name());
            }
            for (String v : List.of("data")) {
                try {
                    agent.removeVolume("web", v);
                } catch (IOException none) {
                    // not created by this test
                }
            }
            agent.close();
        }
        try (Stream<Path> paths = Files.walk(work)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private ContainerSpec web(String name, int hostPort, String... extra) {
        var args = new ArrayList<>(List.of("--name", name, "--app", "web", "--rootfs", rootfs.toString(), "--memory", "64Mi",
                "--pids", "64", "--tmpfs", "/www:1Mi", "--volume", "data:/data:8Mi",
                "--publish", "127.0.0.1:" + hostPort + ":8080"));
        args.addAll(List.of(extra));
        args.addAll(List.of("--", "/bin/sh", "-c", "echo " + name + " > /www/index.html; echo started " + name
                + "; exec httpd -f -p 127.0.0.1:8080 -h /www"));
        return RunArguments.parse(args);
    }

    @Test
    void runPsInspectExecLogsStopRemove() throws Exception {
        int port = TestHttp.freePort();
        var info = agent.run(web("web-1", port));
        assertThat(info.status()).isEqualTo("running");
        assertThat(TestHttp.get(port)).contains("web-1");
        assertThat(agent.ps()).extracting(ContainerInfo::name).containsExactly("web-1");

        var inspection = agent.inspect("web-1");
        assertThat(inspection.ids().hostStart()).isGreaterThanOrEqualTo(65536);
        assertThat(inspection.isolation().items()).allSatisfy(i -> assertThat(i.pass()).as(i.toString()).isTrue());
        assertThat(inspection.isolation().items()).extracting(i -> i.name()).contains("/data flags", "/www flags");

        assertThat(agent.exec("web-1", List.of("/bin/cat", "/www/index.html")).output()).contains("web-1");
        assertThat(Files.readString(agent.logFile("web-1"))).contains("started web-1");
        assertThatThrownBy(() -> agent.remove("web-1")).hasMessageContaining("is running; stop it first");

        // httpd runs as the container's PID 1 and installs no SIGTERM handler: it is killed after the grace period.
        assertThat(agent.stop("web-1", Duration.ofMillis(500))).isEqualTo(new ExitStatus(137, false));
        agent.remove("web-1");
        assertThat(agent.ps()).isEmpty();
        assertThat(work.resolve("state/containers/web-1")).doesNotExist();
    }

    @Test
    void badRequestsFailClearlyAndLeaveNothingBehind() throws Exception {
        int port = TestHttp.freePort();
        agent.run(web("web-1", port));
        assertThatThrownBy(() -> agent.run(web("web-1", TestHttp.freePort()))).hasMessageContaining("a container named 'web-1' already exists");
        assertThat(TestHttp.get(port)).contains("web-1");

        assertThatThrownBy(() -> agent.run(web("web-2", TestHttp.freePort(), "--cap", "SYS_ADMIN")))
                .hasMessageContaining("CAP_SYS_ADMIN is not allowed; an app may add only");
        assertThat(work.resolve("state/containers/web-2")).doesNotExist();

        var otherApp = RunArguments.parse(List.of("--name", "api-1", "--app", "api", "--rootfs", rootfs.toString(),
                "--publish", "127.0.0.1:" + port + ":8080", "--", "/bin/sleep", "600"));
        assertThatThrownBy(() -> agent.run(otherApp)).hasMessageContaining("127.0.0.1:" + port + " is published by app 'web'");
        assertThat(work.resolve("state/containers/api-1")).doesNotExist();
        try (var taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> agent.run(web("web-3", taken.getLocalPort())))
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
        assertThat(work.resolve("state/containers/web-3")).doesNotExist();
        assertThat(agent.ps()).extracting(ContainerInfo::name).containsExactly("web-1");

        assertThatThrownBy(() -> agent.removeVolume("web", "data")).hasMessageContaining("used by container 'web-1'");
        assertThatThrownBy(() -> agent.run(web("Bad Name", TestHttp.freePort()))).hasMessageContaining("container name 'Bad Name'");
    }

    @Test
    void healthChecksRunInsideTheContainerAndMoveFromStartingToHealthyToUnhealthy() throws Exception {
        var spec = RunArguments.parse(List.of("--name", "checked", "--app", "web", "--rootfs", rootfs.toString(),
                "--tmpfs", "/www:1Mi", "--health-http", "8080/healthz", "--",
                "/bin/sh", "-c", "echo ok > /www/healthz; exec httpd -f -p 127.0.0.1:8080 -h /www"));
        assertThat(agent.run(spec).health()).isEqualTo(HealthTracker.Status.STARTING);
        awaitHealth("checked", HealthTracker.Status.HEALTHY);
        agent.exec("checked", List.of("/bin/rm", "/www/healthz"));
        awaitHealth("checked", HealthTracker.Status.UNHEALTHY);

        // Listening only after a while: failed checks before the first pass keep it starting, not unhealthy.
        var tcp = RunArguments.parse(List.of("--name", "tcp-checked", "--app", "web", "--rootfs", rootfs.toString(),
                "--health-tcp", "9090", "--", "/bin/sh", "-c", "sleep 2; exec httpd -f -p 127.0.0.1:9090 -h /"));
        agent.run(tcp);
        assertThat(agent.ps().stream().filter(i -> i.name().equals("tcp-checked")).findFirst().orElseThrow().health())
                .isEqualTo(HealthTracker.Status.STARTING);
        awaitHealth("tcp-checked", HealthTracker.Status.HEALTHY);
    }

    private void awaitHealth(String name, HealthTracker.Status expected) throws Exception {
        var deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            var c = agent.ps().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
            if (c.health() == expected) return;
            Thread.sleep(100);
        }
        throw new AssertionError(name + " never became " + expected);
    }

    /** A root filesystem given by hand is copied for the container's ids; the next container sees what the directory holds then. */
    @Test
    void aChangedRootfsIsSeenByTheNextContainer() throws Exception {
        Path greeting = rootfs.resolve("etc/greeting");
        Files.writeString(greeting, "first\n");
        assertThat(runToEnd("greet-1", "cat /etc/greeting")).contains("first");

        var mtime = Files.getLastModifiedTime(greeting);
        Files.writeString(greeting, "again\n"); // same size, and the modification time set back
        Files.setLastModifiedTime(greeting, mtime);
        assertThat(runToEnd("greet-2", "cat /etc/greeting")).contains("again").doesNotContain("first");
        assertThat(runToEnd("greet-3", "cat /etc/greeting")).contains("again");
    }

    private String runToEnd(String name, String script) throws Exception {
        agent.run(RunArguments.parse(List.of("--name", name, "--app", "web", "--rootfs", rootfs.toString(), "--",
                "/bin/sh", "-c", script)));
        var deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!agent.ps().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().status().equals("exited")
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        String out = Files.readString(agent.logFile(name));
        agent.remove(name);
        return out;
    }

    @Test
    void containerLogsAndVolumeImagesAreRootsAlone() throws Exception {
        int port = TestHttp.freePort();
        agent.run(web("web-1", port));
        Path state = work.resolve("state");
        assertThat(mode(state)).as("passable for containers' root").isEqualTo("rwx--x--x");
        assertThat(mode(state.resolve("containers"))).isEqualTo("rwx------");
        assertThat(mode(state.resolve("containers/web-1"))).isEqualTo("rwx------");
        assertThat(mode(agent.logFile("web-1"))).isEqualTo("rw-------");
        // The container writes its first line a moment after run returns.
        var deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!Files.readString(agent.logFile("web-1")).contains("started web-1") && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(Files.readString(agent.logFile("web-1"))).contains("started web-1");
        Path volume = state.resolve("volumes/web/data");
        assertThat(mode(volume.resolve("image"))).isEqualTo("rwx------");
        assertThat(mode(volume.resolve("image/volume.img"))).isEqualTo("rw-------");
        assertThat(Files.getOwner(volume.resolve("image/volume.img")).getName()).isEqualTo("root");
        for (Path passable : List.of(state.resolve("volumes"), state.resolve("volumes/web"), volume)) {
            assertThat(mode(passable)).as(passable + ": passable, not listable").isEqualTo("rwx--x--x");
        }
        // The container's root still reaches its volume through them.
        assertThat(agent.exec("web-1", List.of("/bin/sh", "-c", "echo kept > /data/x && cat /data/x")).output()).contains("kept");
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aFailingContainerIsRestartedWithBackoff() throws Exception {
        var spec = RunArguments.parse(List.of("--name", "crashy", "--app", "web", "--rootfs", rootfs.toString(),
                "--restart", "on-failure", "--", "/bin/sh", "-c", "echo run; exit 1"));
        agent.run(spec);
        var deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (runs() < 3 && Instant.now().isBefore(deadline)) Thread.sleep(100);
        assertThat(runs()).as("the first run and two restarts").isGreaterThanOrEqualTo(3);
        assertThat(agent.ps().getFirst().restarts()).isGreaterThanOrEqualTo(2);
        assertThat(agent.ps().getFirst().exit()).isIn(null, new ExitStatus(1, false));
    }

    private long runs() throws IOException {
        return Files.readString(agent.logFile("crashy")).lines().filter("run"::equals).count();
    }

    @Test
    void aRestartedContainerIsServedOnTheSamePublishedPort() throws Exception {
        int port = TestHttp.freePort();
        // Serves for two seconds, then fails: each restart brings a new network namespace.
        var spec = RunArguments.parse(List.of("--name", "flaky", "--app", "web", "--rootfs", rootfs.toString(),
                "--tmpfs", "/www:1Mi", "--publish", "127.0.0.1:" + port + ":8080", "--restart", "on-failure", "--",
                "/bin/sh", "-c", "echo run-$$-$RANDOM > /www/index.html; httpd -p 127.0.0.1:8080 -h /www; sleep 2; exit 1"));
        agent.run(spec);
        String first = page(TestHttp.get(port));
        var deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (agent.ps().getFirst().restarts() < 1 && Instant.now().isBefore(deadline)) Thread.sleep(100);
        assertThat(agent.ps().getFirst().restarts()).isGreaterThanOrEqualTo(1);
        String body;
        do {
            body = page(TestHttp.get(port));
        } while (body.equals(first) && Instant.now().isBefore(deadline));
        assertThat(body).as("served by the restarted container").startsWith("run-").isNotEqualTo(first);
    }

    /** The page itself, without headers (their Date changes every second). */
    private static String page(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4).strip();
    }

    @Test
    void aRestartedAgentAdoptsRunningContainersAndReopensTheirPorts() throws Exception {
        int port = TestHttp.freePort();
        long pid = agent.run(web("web-1", port)).pid();
        agent.close();
        // As an agent that recorded no process identity left it: runc, which checks its init's start time, vouches for it.
        Path identity = work.resolve("state/containers/web-1/pid-identity");
        assertThat(Files.readString(identity)).startsWith(pid + " ");
        Files.delete(identity);

        agent = AgentService.open(work.resolve("state"), RuntimePrerequisites.RUNC);
        var adopted = agent.ps().getFirst();
        assertThat(adopted.status()).isEqualTo("running");
        assertThat(adopted.pid()).as("not restarted").isEqualTo(pid);
        assertThat(identity).as("recorded on adoption").exists();
        assertThat(TestHttp.get(port)).contains("web-1");
        assertThat(agent.stop("web-1", Duration.ofMillis(500))).isEqualTo(new ExitStatus(137, false));
    }

    /**
     * The container died without a word (the host went down: no exit status was written) and its
     * pid now names another process, here a {@code sleep}: the restarted agent must not take that
     * process for the container, neither by the identity kept at the start nor, without one, by runc.
     */
    @Test
    void aRestartedAgentDoesNotTakeAnotherProcessWithTheContainersPidForIt() throws Exception {
        int port = TestHttp.freePort();
        // No volume: a mount left behind by a failing run of this test would outlive it.
        long pid = agent.run(RunArguments.parse(List.of("--name", "web-1", "--app", "web", "--rootfs", rootfs.toString(),
                "--publish", "127.0.0.1:" + port + ":8080", "--", "/bin/sleep", "600"))).pid();
        agent.close();
        agent = null;
        Path dir = work.resolve("state/containers/web-1");
        killWithoutExitStatus(pid, dir);
        assertThat(dir.resolve("exit-code")).doesNotExist();

        Process sleep = new ProcessBuilder("sleep", "600").start();
        try {
            // The pid comes back as the sleep's: same number, but another process (another start time).
            Files.writeString(dir.resolve("pid"), Long.toString(sleep.pid()));
            String[] kept = Files.readString(dir.resolve("pid-identity")).strip().split(" ");
            Files.writeString(dir.resolve("pid-identity"), sleep.pid() + " " + kept[1] + " " + kept[2] + "\n");

            agent = AgentService.open(work.resolve("state"), RuntimePrerequisites.RUNC);
            var adopted = agent.ps().getFirst();
            assertThat(adopted.status()).isNotEqualTo("running");
            assertThat(adopted.pid()).isNotEqualTo(sleep.pid());
            agent.close();

            // Without a kept identity (an older agent's directory): runc knows the container is not running.
            Files.delete(dir.resolve("pid-identity"));
            agent = AgentService.open(work.resolve("state"), RuntimePrerequisites.RUNC);
            adopted = agent.ps().getFirst();
            assertThat(adopted.status()).isNotEqualTo("running");
            assertThat(adopted.pid()).isNotEqualTo(sleep.pid());
            assertThat(dir.resolve("pid-identity")).doesNotExist();
            assertThat(sleep.isAlive()).as("the other process is left alone").isTrue();
            agent.remove("web-1");
        } finally {
            sleep.destroyForcibly().waitFor();
        }
    }

    /** Kills the shim that would record the exit status first, then the container: as a host going down does. */
    private void killWithoutExitStatus(long pid, Path dir) throws Exception {
        var shim = ProcessHandle.of(pid).orElseThrow();
        // sh -c SHIM runc ROOT BUNDLE ID EXIT-FILE PID-FILE; runc run itself names the pid file too, but not first "-c".
        while (shim != null && !shim.info().arguments().map(a -> a.length > 0 && a[0].equals("-c")
                && String.join(" ", a).contains(dir.resolve("pid").toString())).orElse(false)) {
            shim = shim.parent().orElse(null);
        }
        assertThat(shim).as("the shell that runs runc for the container").isNotNull();
        shim.destroyForcibly();
        shim.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        new ProcessBuilder(RuntimePrerequisites.RUNC.toString(), "--root", work.resolve("state/runc").toString(), "kill", "web-1",
                "KILL").inheritIO().start().waitFor();
        var container = ProcessHandle.of(pid);
        if (container.isPresent()) container.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
}
