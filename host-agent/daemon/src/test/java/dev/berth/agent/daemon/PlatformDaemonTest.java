package dev.berth.agent.daemon;

import dev.berth.agent.Await;
import static dev.berth.agent.link.StandInPlatform.CREDENTIAL;
import static dev.berth.agent.link.StandInPlatform.HOST_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.link.StandInPlatform;
import dev.berth.agent.protocol.AssignedContainer;
import dev.berth.agent.protocol.Assignment;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.agent.protocol.Heartbeat;
import dev.berth.agent.protocol.HealthCheck;
import dev.berth.agent.protocol.HealthTiming;
import dev.berth.agent.protocol.PublishedPort;
import dev.berth.agent.runtime.RuntimePrerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The daemon as the platform drives it, in its own JVM: it joins a stand-in platform with a
 * token from a file, runs what it is assigned, reports it serving and ships its log; killed with
 * {@code kill -9} and started again, it adopts the container and the same assignment restarts nothing.
 */
class PlatformDaemonTest {
    private static final String TOKEN = "berth-join_fromafilefromafile";
    private static final String SECRET = "s3cret-from-the-platform-77";
    private Path work;
    private Path state;
    private Process daemon;
    private StandInPlatform platform;

    @BeforeEach
    void setUp() throws Exception {
        RuntimePrerequisites.require();
        work = Files.createTempDirectory("berth-platform-daemon-test");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        state = work.resolve("state");
        platform = new StandInPlatform();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (daemon != null && daemon.isAlive()) {
            platform.assign(new Assignment(Assignment.VERSION, HOST_ID, 1000, List.of()));
            Await.until(() -> latest().map(h -> h.containers().isEmpty()).orElse(false));
            daemon.destroy();
            daemon.waitFor(10, TimeUnit.SECONDS);
        }
        platform.close();
        try (Stream<Path> paths = Files.walk(work)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private Optional<Heartbeat> latest() {
        return platform.heartbeats.isEmpty() ? Optional.empty() : Optional.of(platform.heartbeats.getLast());
    }

    private Optional<ContainerStatus> reported(String name) {
        return latest().flatMap(h -> h.containers().stream().filter(c -> c.name().equals(name)).findFirst());
    }

    private Process start(int port, String log, String... extra) throws Exception {
        var args = new java.util.ArrayList<>(List.of("--publish-address", "127.0.0.1", "--advertise-address", "web.example.test",
                "--port-range", port + "-" + port, "--platform", platform.uri().toString(), "--heartbeat-seconds", "1"));
        args.addAll(List.of(extra));
        return TestDaemon.start(state, work.resolve(log), work, args.toArray(String[]::new));
    }

    private long pid(String name) {
        var ps = TestDaemon.cli(state, "ps");
        assertThat(ps.exit()).as(ps.err()).isZero();
        String line = ps.out().lines().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow();
        return Long.parseLong(line.split("\\s+")[3]);
    }

    @Test
    void runsWhatItIsAssignedReportsItAndAfterKill9AdoptsItWithoutARestart() throws Exception {
        // The platform sends images, never a host directory.
        var spec = new ContainerSpec(ContainerSpec.VERSION, "web-1", "web", null, BusyboxImage.REFERENCE,
                List.of("/bin/sh", "-c", "echo started $HOSTNAME; echo $HOSTNAME > /www/index.html; exec httpd -f -p 127.0.0.1:8080 -h /www"),
                null, null, "/", new ContainerSpec.Resources(64L << 20, 500, 64), null,
                List.of(new ContainerSpec.TmpfsMount("/www", 1L << 20)), List.of(new ContainerSpec.PortPublish(null, 0, 8080)),
                null, new HealthCheck.Http(8080, "/index.html"), new HealthTiming(200, 1000, 1, 3), ContainerSpec.RestartPolicy.ON_FAILURE, null);
        Path tokenFile = work.resolve("join-token");
        Files.writeString(tokenFile, TOKEN + "\n");
        int port = TestHttp.freePort();

        daemon = start(port, "daemon-1.log", "--join-token-file", tokenFile.toString());
        var imported = TestDaemon.cli(state, "image", "import", BusyboxImage.layout(work.resolve("layout")).toString(),
                "--name", "127.0.0.1:1/berth-test/busybox");
        assertThat(imported.exit()).as(imported.err()).isZero();
        platform.assign(new Assignment(Assignment.VERSION, HOST_ID, 1,
                List.of(new AssignedContainer(spec, 1, Map.of("DB_PASSWORD", SECRET)))));
        Await.until(() -> reported("web-1").map(s -> s.published().equals(List.of(new PublishedPort(8080, "web.example.test:" + port, true))))
                .orElse(false));
        var status = reported("web-1").orElseThrow();
        assertThat(status.state()).isEqualTo("running");
        assertThat(status.health()).isEqualTo("healthy");
        assertThat(status.isolation()).isNotEmpty().allMatch(c -> c.passed());
        assertThat(TestHttp.get(port)).contains("web-1");
        Await.until(() -> platform.logText("web-1").contains("started web-1"));
        long pid = pid("web-1");

        // kill -9: the container keeps running; the next daemon needs no token and restarts nothing.
        daemon.destroyForcibly();
        assertThat(daemon.waitFor(10, TimeUnit.SECONDS)).isTrue();
        int polls = platform.polledAfter.size();
        int beats = platform.heartbeats.size();
        daemon = start(port, "daemon-2.log");
        Await.until(() -> platform.polledAfter.size() > polls + 1 && platform.heartbeats.size() > beats
                && reported("web-1").map(s -> s.published().getFirst().serving()).orElse(false));
        assertThat(platform.polledAfter.subList(polls, platform.polledAfter.size())).startsWith(-1L, 1L);
        assertThat(pid("web-1")).as("adopted, not restarted").isEqualTo(pid);
        assertThat(TestHttp.get(port)).contains("web-1");
        assertThat(platform.registrations.get()).isEqualTo(1);

        for (String log : List.of("daemon-1.log", "daemon-2.log")) {
            assertThat(Files.readString(work.resolve(log))).doesNotContain(SECRET).doesNotContain(CREDENTIAL).doesNotContain(TOKEN);
        }
        assertThat(platform.logText("web-1")).doesNotContain(SECRET);
    }

}
