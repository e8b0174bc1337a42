package dev.berth.agent.daemon;

import dev.berth.agent.Await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.AssignedContainer;
import dev.berth.agent.protocol.Assignment;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.agent.protocol.HealthCheck;
import dev.berth.agent.protocol.HealthTiming;
import dev.berth.agent.protocol.PublishedPort;
import dev.berth.agent.runtime.Busybox;
import dev.berth.agent.runtime.RuntimePrerequisites;
import dev.berth.agent.state.PortRange;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Applying assignments on real runc: shared published ports, replace and remove without a failed request, adoption, secrets, failures. */
class AssignmentApplierTest {
    private static final String HOST = "h-000000000001";
    private static final String SECRET = "s3cret-value-9f8e7d6c";
    private Path work;
    private Path rootfs;
    private Path state;
    private int sharedPort;
    private AgentOptions options;
    private AgentService agent;
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record.getLoggerName() + " " + record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        RuntimePrerequisites.require();
        Logger.getLogger("").addHandler(capture);
        work = Files.createTempDirectory("berth-assign-test");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        rootfs = Busybox.tree(work.resolve("busybox"), "sh", "echo", "httpd", "sleep", "env", "true");
        state = work.resolve("state");
        sharedPort = TestHttp.freePort();
        options = AgentOptions.defaults().withPublishAddress("127.0.0.1", null)
                .withPortRange(new PortRange(sharedPort, sharedPort)).withStopGrace(Duration.ofMillis(500));
        agent = AgentService.open(state, RuntimePrerequisites.RUNC, options);
        BusyboxImage.importInto(agent, work);
    }

    @AfterEach
    void tearDown() throws Exception {
        Logger.getLogger("").removeHandler(capture);
        if (agent != null) {
            // Platform containers go with an empty assignment; hand-started ones by hand.
            agent.apply(new Assignment(Assignment.VERSION, HOST, Long.MAX_VALUE, List.of()));
            Await.until(() -> agent.assignmentsIdle() && agent.platformLogs().isEmpty());
            for (var c : agent.ps()) {
                agent.stop(c.name(), Duration.ofMillis(200));
                agent.remove(c.name());
            }
            agent.close();
        }
        try (Stream<Path> paths = Files.walk(work)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** A replica of app web: httpd serving "NAME MARKER" on container port 8080, published on the app's host port. */
    private ContainerSpec web(String name, String marker) {
        return spec(name, "web", marker, List.of(new ContainerSpec.PortPublish(null, 0, 8080)));
    }

    private ContainerSpec spec(String name, String app, String marker, List<ContainerSpec.PortPublish> ports) {
        return new ContainerSpec(ContainerSpec.VERSION, name, app, null, BusyboxImage.REFERENCE,
                List.of("/bin/sh", "-c", "echo $HOSTNAME $MARKER > /www/index.html; exec httpd -f -p 127.0.0.1:8080 -h /www"),
                Map.of("MARKER", marker), null, "/", new ContainerSpec.Resources(64L << 20, 500, 64), List.of(),
                List.of(new ContainerSpec.TmpfsMount("/www", 1L << 20)), ports, List.of(),
                new HealthCheck.Http(8080, "/index.html"), new HealthTiming(200, 1000, 1, 3), ContainerSpec.RestartPolicy.ON_FAILURE, null);
    }

    private static AssignedContainer assigned(ContainerSpec spec) {
        return new AssignedContainer(spec, 1, Map.of());
    }

    /** Assigned, running and health-checked, but taking no traffic. */
    private static AssignedContainer outOfTraffic(ContainerSpec spec) {
        return new AssignedContainer(spec, 1, Map.of(), false);
    }

    private static Assignment generation(long n, AssignedContainer... containers) {
        return new Assignment(Assignment.VERSION, HOST, n, List.of(containers));
    }

    private ContainerStatus status(String name) throws IOException {
        return agent.statuses().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    private boolean serving(String name) {
        try {
            var s = status(name);
            return s != null && s.state().equals("running") && !s.published().isEmpty()
                    && s.published().stream().allMatch(PublishedPort::serving);
        } catch (IOException e) {
            return false;
        }
    }

    private long pid(String name) throws IOException {
        return agent.ps().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().pid();
    }

    /** The page the shared port answers with: "NAME MARKER". */
    private String page() throws IOException {
        return page(Duration.ZERO);
    }

    /** A request that takes {@code pause} between its first line and its end, so it is open while things change. */
    private String page(Duration pause) throws IOException {
        try (var s = new Socket("127.0.0.1", sharedPort)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET /index.html HTTP/1.0\r\n".getBytes(StandardCharsets.US_ASCII));
            if (!pause.isZero()) {
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            s.getOutputStream().write("\r\n".getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (!response.startsWith("HTTP/1.0 200") && !response.startsWith("HTTP/1.1 200")) {
                throw new IOException("answered: " + (response.isEmpty() ? "nothing" : response.lines().findFirst().orElse("")));
            }
            return response.substring(response.indexOf("\r\n\r\n") + 4).strip();
        }
    }

    @Test
    void twoReplicasShareOnePortAndAReplaceAndARemoveFailNoRequest() throws Exception {
        agent.apply(generation(1, assigned(web("web-1", "a")), assigned(web("web-2", "a"))));
        Await.until(() -> serving("web-1") && serving("web-2"));
        assertThat(status("web-1").published()).containsExactly(new PublishedPort(8080, "127.0.0.1:" + sharedPort, true));
        assertThat(status("web-2").published()).containsExactly(new PublishedPort(8080, "127.0.0.1:" + sharedPort, true));
        assertThat(status("web-1").isolation()).isNotEmpty().allMatch(c -> c.passed(), "every isolation check passes");
        var pages = new ArrayList<String>();
        for (int i = 0; i < 4; i++) pages.add(page());
        assertThat(pages).as("round-robin over both").contains("web-1 a", "web-2 a");
        long pid1 = pid("web-1");
        long pid2 = pid("web-2");

        // Clients keep requesting while web-2 is replaced and then removed, each request open for a while.
        var stop = new AtomicBoolean();
        var ok = new AtomicInteger();
        var failures = new CopyOnWriteArrayList<String>();
        var clients = new ArrayList<Thread>();
        for (int i = 0; i < 4; i++) {
            clients.add(Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    try {
                        page(Duration.ofMillis(100));
                        ok.incrementAndGet();
                    } catch (IOException e) {
                        failures.add(e.toString());
                    }
                }
            }));
        }

        // The same set again, under a new generation: nothing restarts.
        agent.apply(generation(2, assigned(web("web-1", "a")), assigned(web("web-2", "a"))));
        Await.until(agent::assignmentsIdle);
        assertThat(pid("web-1")).isEqualTo(pid1);
        assertThat(pid("web-2")).isEqualTo(pid2);

        // One spec changes: only that container is replaced.
        agent.apply(generation(3, assigned(web("web-1", "a")), assigned(web("web-2", "b"))));
        Await.until(() -> agent.assignmentsIdle() && serving("web-2"));
        assertThat(pid("web-2")).isNotEqualTo(pid2);
        assertThat(pid("web-1")).isEqualTo(pid1);
        Await.until(() -> pageQuietly().equals("web-2 b"));

        // One is dropped: drained, stopped and removed; the other serves on.
        agent.apply(generation(4, assigned(web("web-1", "a"))));
        Await.until(() -> agent.assignmentsIdle() && status("web-2") == null);
        assertThat(pid("web-1")).isEqualTo(pid1);
        assertThat(state.resolve("containers/web-2")).doesNotExist();
        int before = ok.get();
        Await.until(() -> ok.get() > before + 20);
        stop.set(true);
        for (Thread t : clients) t.join();
        assertThat(failures).as("failed requests").isEmpty();
        assertThat(page()).isEqualTo("web-1 a");
    }

    /** One request of the loop: the page, and the phase of the test it started and ended in. */
    private record Answer(int started, int ended, String page) {
    }

    @Test
    void aSwitchMovesTrafficBetweenRunningContainersAtOnceRestartingNeither() throws Exception {
        agent.apply(generation(1, assigned(web("web-1", "blue"))));
        Await.until(() -> serving("web-1"));
        // Green runs and passes its health check, but takes no traffic; a restarted agent keeps it so.
        agent.apply(generation(2, assigned(web("web-1", "blue")), outOfTraffic(web("web-2", "green"))));
        Await.until(() -> status("web-2") != null && "healthy".equals(status("web-2").health()));
        long blue = pid("web-1");
        long green = pid("web-2");
        agent.close();
        agent = AgentService.open(state, RuntimePrerequisites.RUNC, options);
        Await.until(() -> "healthy".equals(status("web-2").health()) && serving("web-1"));
        assertThat(status("web-2").published()).containsExactly(new PublishedPort(8080, "127.0.0.1:" + sharedPort, false));
        assertThat(pid("web-2")).isEqualTo(green);

        // One client requests throughout; each answer is noted with the phases it started and ended in.
        var phase = new AtomicInteger(1);
        var answers = new CopyOnWriteArrayList<Answer>();
        var failures = new CopyOnWriteArrayList<String>();
        var stop = new AtomicBoolean();
        Thread client = Thread.ofVirtual().start(() -> {
            while (!stop.get()) {
                int started = phase.get();
                try {
                    String page = page();
                    answers.add(new Answer(started, phase.get(), page));
                } catch (IOException e) {
                    failures.add("phase " + started + ": " + e);
                }
            }
        });
        awaitMoreAnswers(answers);

        // The switch (2, applying; 3, applied): green in, blue kept but out of traffic.
        phase.set(2);
        agent.apply(generation(3, outOfTraffic(web("web-1", "blue")), assigned(web("web-2", "green"))));
        phase.set(3);
        awaitMoreAnswers(answers);
        Await.until(agent::assignmentsIdle);
        assertThat(status("web-1").published()).containsExactly(new PublishedPort(8080, "127.0.0.1:" + sharedPort, false));
        assertThat(status("web-1").health()).isEqualTo("healthy");
        assertThat(serving("web-2")).isTrue();

        // And back (4, applying; 5, applied): blue in, green dropped, drained and removed.
        phase.set(4);
        agent.apply(generation(4, assigned(web("web-1", "blue"))));
        phase.set(5);
        awaitMoreAnswers(answers);
        Await.until(() -> agent.assignmentsIdle() && status("web-2") == null);
        awaitMoreAnswers(answers);
        stop.set(true);
        client.join();

        assertThat(failures).as("failed requests").isEmpty();
        assertThat(answers).filteredOn(a -> a.ended() == 1).isNotEmpty().allMatch(a -> a.page().equals("web-1 blue"));
        assertThat(answers).filteredOn(a -> a.started() == 3 && a.ended() == 3).isNotEmpty()
                .allMatch(a -> a.page().equals("web-2 green"));
        assertThat(answers).filteredOn(a -> a.started() == 5).isNotEmpty().allMatch(a -> a.page().equals("web-1 blue"));
        // In order: blue, then green, then blue, never mixed.
        var runs = new ArrayList<String>();
        for (Answer a : answers) if (runs.isEmpty() || !runs.getLast().equals(a.page())) runs.add(a.page());
        assertThat(runs).containsExactly("web-1 blue", "web-2 green", "web-1 blue");
        assertThat(pid("web-1")).as("blue was never restarted").isEqualTo(blue);
        assertThat(state.resolve("containers/web-2")).doesNotExist();
    }

    /** Waits until the request loop has answered a few more times. */
    private static void awaitMoreAnswers(List<Answer> answers) throws Exception {
        int before = answers.size();
        Await.until(() -> answers.size() >= before + 20);
    }

    private String pageQuietly() {
        try {
            return page();
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void aRestartedAgentAdoptsWhatItRunsAndTheSameAssignmentRestartsNothing() throws Exception {
        var assignment = generation(7, new AssignedContainer(web("web-1", "a"), 1, Map.of("DB_PASSWORD", SECRET)));
        agent.apply(assignment);
        Await.until(() -> serving("web-1"));
        long pid = pid("web-1");

        agent.close();
        agent = AgentService.open(state, RuntimePrerequisites.RUNC, options);
        assertThat(pid("web-1")).as("adopted, not restarted").isEqualTo(pid);
        agent.apply(assignment);
        Await.until(agent::assignmentsIdle);
        Await.until(() -> serving("web-1"));
        assertThat(pid("web-1")).as("the first assignment after the restart keeps it").isEqualTo(pid);
        assertThat(page()).isEqualTo("web-1 a");

        // A changed secret is a changed container.
        agent.apply(generation(8, new AssignedContainer(web("web-1", "a"), 1, Map.of("DB_PASSWORD", SECRET + "-rotated"))));
        Await.until(() -> agent.assignmentsIdle() && serving("web-1"));
        assertThat(pid("web-1")).isNotEqualTo(pid);
    }

    @Test
    void anAdoptedContainerWhosePortWasTakenMeanwhileIsReplacedOnceThePortIsFree() throws Exception {
        var assignment = generation(1, assigned(web("web-1", "a")));
        agent.apply(assignment);
        Await.until(() -> serving("web-1"));
        long pid = pid("web-1");
        agent.close();

        try (var squatter = new ServerSocket()) {
            squatter.setReuseAddress(true);
            squatter.bind(new java.net.InetSocketAddress("127.0.0.1", sharedPort));
            agent = AgentService.open(state, RuntimePrerequisites.RUNC, options);
            agent.apply(assignment);
            Await.until(() -> status("web-1") != null && "failed".equals(status("web-1").state()));
            assertThat(note("web-1")).contains("cannot listen on 127.0.0.1:" + sharedPort);
        }
        Await.until(() -> serving("web-1"));
        assertThat(pid("web-1")).as("replaced: the old one could not serve").isNotEqualTo(pid);
        assertThat(page()).isEqualTo("web-1 a");
    }

    @Test
    void twoAgentsOnOneHostKeepContainersOfTheSameNameApart() throws Exception {
        int otherPort = TestHttp.freePort();
        var otherOptions = options.withPortRange(new PortRange(otherPort, otherPort));
        var other = AgentService.open(work.resolve("state-2"), RuntimePrerequisites.RUNC, otherOptions);
        BusyboxImage.importInto(other, work.resolve("other"));
        try {
            agent.apply(generation(1, assigned(web("web-1", "first"))));
            other.apply(generation(1, assigned(web("web-1", "second"))));
            Await.until(() -> serving("web-1") && other.ps().size() == 1 && other.ps().getFirst().status().equals("running"));
            long pid = pid("web-1");
            long otherPid = other.ps().getFirst().pid();
            String cgroup = Files.readString(Path.of("/proc", Long.toString(pid), "cgroup"));
            String otherCgroup = Files.readString(Path.of("/proc", Long.toString(otherPid), "cgroup"));
            assertThat(cgroup).contains("/berth/agent-").contains("/web-1");
            assertThat(cgroup).isNotEqualTo(otherCgroup);

            // The other agent removing its web-1 leaves this one's running.
            other.apply(generation(2));
            Await.until(() -> other.assignmentsIdle() && other.ps().isEmpty());
            assertThat(pid("web-1")).isEqualTo(pid);
            assertThat(agent.ps().getFirst().status()).isEqualTo("running");
            assertThat(page()).isEqualTo("web-1 first");
        } finally {
            other.apply(generation(3));
            Await.until(() -> other.assignmentsIdle() && other.ps().isEmpty());
            other.close();
        }
        String parent = "berth/" + AgentTag.of(work.resolve("state-2").toAbsolutePath().normalize()).value();
        assertThat(Path.of("/sys/fs/cgroup/memory").resolve(parent)).as("no empty cgroup left behind").doesNotExist();
    }

    @Test
    void secretsReachTheEnvironmentAndOnlyRootOnlyFiles() throws Exception {
        var spec = web("web-1", "a");
        var env = new java.util.HashMap<>(spec.env());
        env.put("GREETING", "hello");
        env.put("CLASH", "from-env");
        spec = spec.withEnv(env);
        agent.apply(generation(1, new AssignedContainer(spec, 1, Map.of("DB_PASSWORD", SECRET, "CLASH", "from-secret"))));
        Await.until(() -> serving("web-1"));

        String environment = agent.exec("web-1", List.of("/bin/env")).output();
        assertThat(environment.lines()).contains("DB_PASSWORD=" + SECRET, "CLASH=from-secret", "GREETING=hello", "MARKER=a");

        var holders = new ArrayList<Path>();
        try (Stream<Path> files = Files.walk(state)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (Files.size(f) > (4 << 20) || f.startsWith(state.resolve("rootfs"))) continue;
                if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(SECRET)) holders.add(f);
            }
        }
        assertThat(holders).as("files holding the secret").isNotEmpty()
                .allSatisfy(f -> assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
                        .isEqualTo("rw-------"));
        assertThat(Files.readString(state.resolve("containers/web-1/spec.json"))).doesNotContain(SECRET).contains("GREETING");
        assertThat(Files.readString(state.resolve("containers/web-1/assigned.json"))).doesNotContain(SECRET).contains("hmac-sha256:");
        assertThat(agent.statuses().toString()).doesNotContain(SECRET);
        assertThat(logged).isNotEmpty().noneMatch(line -> line.contains(SECRET));

        // A secret whose name is no environment variable name is refused, naming it and not its value.
        agent.apply(generation(2, new AssignedContainer(web("web-1", "a"), 1, Map.of("BAD NAME", SECRET))));
        Await.until(() -> status("web-1") != null && status("web-1").state().equals("failed"));
        String note = Files.readString(agent.platformLogs().stream().filter(s -> s.container().equals("web-1")).findFirst()
                .orElseThrow().file());
        assertThat(note).contains("secret 'BAD NAME' of container 'web-1' is not an environment variable name")
                .doesNotContain(SECRET);
        assertThat(logged).noneMatch(line -> line.contains(SECRET));
    }

    @Test
    void aContainerThatCannotStartIsReportedNotedAndRetriedWhileOthersStart() throws Exception {
        // Nothing listens on 127.0.0.1:1: the pull fails at once.
        var ghost = new ContainerSpec(ContainerSpec.VERSION, "ghost-1", "ghost", null, "127.0.0.1:1/acme/ghost:1",
                List.of("/bin/true"), null, null, "/", null, null, null, null, null, null, null, null, null);
        var otherApp = spec("api-1", "api", "x", List.of(new ContainerSpec.PortPublish(null, 0, 8080)));
        agent.apply(generation(1, assigned(ghost), assigned(web("web-1", "a"))));
        Await.until(() -> serving("web-1") && "failed".equals(status("ghost-1").state()));
        assertThat(note("ghost-1")).contains("cannot start ghost-1").contains("127.0.0.1:1");
        // The status says why too, for the platform to show.
        assertThat(status("ghost-1").error()).contains("127.0.0.1:1");
        assertThat(status("web-1").error()).isNull();

        // The agent's one port belongs to app web: a second app is refused, clearly.
        agent.apply(generation(2, assigned(ghost), assigned(web("web-1", "a")), assigned(otherApp)));
        Await.until(() -> status("api-1") != null && "failed".equals(status("api-1").state()));
        assertThat(note("api-1")).contains("no free host port is left in").contains("of app 'api'");
        assertThat(page()).isEqualTo("web-1 a");

        // A fixed spec is tried at once.
        var fixed = ghost.withImage(BusyboxImage.REFERENCE).withCommand(List.of("/bin/sleep", "600"));
        var blocked = web("blocked-1", "b");
        agent.apply(generation(3, assigned(blocked), assigned(fixed), assigned(web("web-1", "a"))));
        Await.until(() -> "running".equals(status("blocked-1").state()) && "running".equals(status("ghost-1").state())
                && status("api-1") == null);
        assertThat(agent.platformLogs()).extracting(LogSource::container).containsExactlyInAnyOrder("blocked-1", "ghost-1", "web-1");
        assertThat(agent.statuses()).extracting(ContainerStatus::error).containsOnlyNulls();
        assertThat(state.resolve("failures")).isEmptyDirectory();
    }

    private String note(String container) throws IOException {
        var source = agent.platformLogs().stream().filter(s -> s.container().equals(container)).findFirst().orElseThrow();
        assertThat(source.file().toString()).contains("failures");
        return Files.readString(source.file());
    }

    @Test
    void handStartedContainersAreLeftAloneAndTheirNamesCannotBeAssigned() throws Exception {
        var byHand = new ContainerSpec(ContainerSpec.VERSION, "cli-1", "cli", rootfs.toString(), null, List.of("/bin/sleep", "600"),
                null, null, "/", null, null, null, null, null,
                // Checked at once, then not for an hour: healthy only if the first check does not wait for the interval.
                new HealthCheck.Exec(List.of("/bin/true")), new HealthTiming(3_600_000, 5000, 1, 3), null, null);
        long pid = agent.run(byHand).pid();
        Await.until(() -> "healthy".equals(status("cli-1").health()));

        agent.apply(generation(1));
        Await.until(agent::assignmentsIdle);
        assertThat(pid("cli-1")).isEqualTo(pid);

        agent.apply(generation(2, assigned(web("cli-1", "a"))));
        Await.until(agent::assignmentsIdle);
        assertThat(pid("cli-1")).isEqualTo(pid);
        assertThat(agent.statuses()).extracting(ContainerStatus::name).containsExactly("cli-1");
        assertThat(agent.platformLogs()).isEmpty();
        assertThat(logged).anyMatch(line -> line.contains("a container started by hand is named 'cli-1'"));
    }

}
