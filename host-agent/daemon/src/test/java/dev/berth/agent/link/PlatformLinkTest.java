package dev.berth.agent.link;

import static dev.berth.agent.link.StandInPlatform.CREDENTIAL;
import static dev.berth.agent.link.StandInPlatform.HOST_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.daemon.LogSource;
import dev.berth.agent.edge.AccessEntry;
import dev.berth.agent.edge.AccessLine;
import dev.berth.agent.protocol.Assignment;
import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.agent.runtime.LogFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The link against a stand-in platform on 127.0.0.1; the real one is in ui-tests' AgentJoinTest. */
class PlatformLinkTest {
    private static final String TOKEN = "berth-join_tokentokentoken";
    /** Fast retries and short polls, so a test sees several rounds. */
    private static final PlatformLink.Timing FAST = new PlatformLink.Timing(Duration.ofMillis(100), Duration.ofMillis(50), 1,
            Duration.ofMillis(50));
    @TempDir
    Path state;
    private StandInPlatform platform;
    private final RecordingAgent agent = new RecordingAgent();
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void setUp() throws Exception {
        platform = new StandInPlatform();
    }

    @AfterEach
    void stop() {
        platform.close();
        assertThat(logText()).doesNotContain(CREDENTIAL).doesNotContain(TOKEN);
    }

    private String logText() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    private static Assignment generation(long n, String... names) {
        var containers = new java.util.ArrayList<dev.berth.agent.protocol.AssignedContainer>();
        for (String name : names) {
            var spec = new dev.berth.agent.protocol.ContainerSpec(1, name, "web", "/srv/rootfs", null, List.of("/bin/true"), null,
                    null, null, null, null, null, null, null, null, null, null, null);
            containers.add(new dev.berth.agent.protocol.AssignedContainer(spec, n, java.util.Map.of("S", "secret-" + n)));
        }
        return new Assignment(Assignment.VERSION, HOST_ID, n, containers);
    }

    @Test
    void registersOnceStoresTheCredentialPrivatelyAndBeats() throws Exception {
        var uri = platform.uri();
        try (var link = PlatformLink.join(uri, state, TOKEN, FAST, log)) {
            assertThat(link.hostId()).isEqualTo(HOST_ID);
            link.start(agent);
            waitFor(() -> platform.heartbeats.size() >= 2);
        }
        Path file = PlatformLink.credentialFile(state);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains(CREDENTIAL).contains(HOST_ID).contains(uri.toString());
        assertThat(platform.authorizations).allMatch(("Bearer " + CREDENTIAL)::equals);
        assertThat(platform.heartbeats.getFirst().containers()).isEmpty();
        assertThat(platform.heartbeats.getFirst().capacity().cpuMillis()).isPositive();
        try (var stat = Files.list(file.getParent())) {
            assertThat(stat).containsExactly(file); // no temp file left behind
        }

        // Again without a token: the stored credential, no second registration.
        try (var again = PlatformLink.join(uri, state, null, FAST, log)) {
            assertThat(again.hostId()).isEqualTo(HOST_ID);
        }
        assertThat(platform.registrations.get()).isEqualTo(1);
    }

    @Test
    void aRefusedJoinTokenSaysSoAtOnceAndStoresNothing() {
        platform.registerStatus = 401;
        assertThatThrownBy(() -> PlatformLink.join(platform.uri(), state, TOKEN, FAST, log))
                .isInstanceOf(PlatformLink.JoinRefusedException.class)
                .hasMessageStartingWith("the platform refused the join token: join token is not valid");
        assertThat(platform.registrations.get()).isEqualTo(1);
        assertThat(PlatformLink.hasCredential(state)).isFalse();
    }

    @Test
    void aRegistrationIsRetriedWhileThePlatformIsUnreachableOrUnavailable() throws Exception {
        URI uri = platform.uri();
        platform.stop();
        var joined = new java.util.concurrent.CompletableFuture<PlatformLink>();
        Thread.ofVirtual().start(() -> {
            try {
                joined.complete(PlatformLink.join(uri, state, TOKEN, FAST, log));
            } catch (Exception e) {
                joined.completeExceptionally(e);
            }
        });
        waitFor(() -> logText().contains("cannot reach the platform at " + uri + " to register"));
        synchronized (platform.registerAnswers) {
            platform.registerAnswers.addAll(List.of(503, 502));
        }
        platform.restart();
        try (var link = joined.get(30, java.util.concurrent.TimeUnit.SECONDS)) {
            assertThat(link.hostId()).isEqualTo(HOST_ID);
        }
        assertThat(platform.registrations.get()).as("two unavailable answers, then the registration").isEqualTo(3);
        assertThat(logText().split("to register", -1)).as("said once, not per attempt").hasSize(2);
    }

    @Test
    void aRegistrationAnsweredWithNonsenseIsNotRetried() {
        platform.registerStatus = 404;
        assertThatThrownBy(() -> PlatformLink.join(platform.uri(), state, TOKEN, FAST, log))
                .hasMessageContaining("did not register this host: HTTP 404");
        assertThat(platform.registrations.get()).isEqualTo(1);
    }

    @Test
    void aCredentialForAnotherPlatformIsNotSentThere() throws Exception {
        PlatformLink.join(platform.uri(), state, TOKEN, FAST, log).close();
        assertThatThrownBy(() -> PlatformLink.join(URI.create("http://127.0.0.1:1"), state, null, FAST, log))
                .hasMessageContaining("holds a credential for " + platform.uri());
    }

    @Test
    void aFailingPlatformIsLoggedOncePerChange() throws Exception {
        platform.heartbeatStatus = 503;
        try (var link = PlatformLink.join(platform.uri(), state, TOKEN, FAST, log)) {
            link.start(agent);
            waitFor(() -> platform.heartbeats.size() >= 4);
            platform.heartbeatStatus = 204;
            waitFor(() -> logText().contains("heartbeats reach"));
        }
        assertThat(logText().split("cannot reach", -1)).hasSize(2);
        assertThat(logText()).contains("HTTP 503");
    }

    @Test
    void assignmentsAreLongPolledAndEachNewOneIsAppliedAndReportedAtOnce() throws Exception {
        // Heartbeats every hour: any after the first are the ones an applied assignment asks for.
        var timing = new PlatformLink.Timing(Duration.ofHours(1), Duration.ofMillis(50), 1, Duration.ofMillis(50));
        try (var link = PlatformLink.join(platform.uri(), state, TOKEN, timing, log)) {
            link.start(agent);
            waitFor(() -> agent.applied.size() == 1 && platform.heartbeats.size() >= 2);
            assertThat(agent.applied.getFirst().generation()).as("after=-1: the current set at once").isZero();
            waitFor(() -> platform.polledAfter.stream().filter(a -> a == 0).count() >= 2); // held, answered 204, polled again

            platform.assign(generation(3, "web-1", "web-2"));
            waitFor(() -> agent.applied.size() == 2 && platform.heartbeats.size() >= 3);
            assertThat(agent.applied.get(1).containers()).extracting(c -> c.spec().name()).containsExactly("web-1", "web-2");
            assertThat(link.appliedGeneration()).isEqualTo(3);
            waitFor(() -> platform.polledAfter.contains(3L));
        }
        assertThat(platform.polledAfter).startsWith(-1L, 0L).doesNotContain(1L, 2L);
        assertThat(agent.applied).extracting(Assignment::generation).containsExactly(0L, 3L);
        assertThat(logText()).contains("receiving assignments from").doesNotContain("secret-3");
    }

    @Test
    void aRefusedCredentialIsLoggedOnceAndRetriedUntilAccepted() throws Exception {
        try (var link = PlatformLink.join(platform.uri(), state, TOKEN, FAST, log)) {
            platform.credentialAccepted = false;
            link.start(agent);
            waitFor(() -> logText().contains("refused this host's credential for assignments")
                    && platform.authorizations.size() >= 8);
            assertThat(agent.applied).isEmpty();
            platform.credentialAccepted = true;
            waitFor(() -> agent.applied.size() == 1);
        }
        assertThat(logText().split("credential for assignments", -1)).hasSize(2);
        assertThat(logText().split("refused this host's credential \\(", -1)).as("heartbeats say it once too").hasSize(2);
    }

    @Test
    void thePollReconnectsAfterThePlatformRestarts() throws Exception {
        try (var link = PlatformLink.join(platform.uri(), state, TOKEN, FAST, log)) {
            link.start(agent);
            waitFor(() -> agent.applied.size() == 1);
            platform.stop();
            waitFor(() -> logText().contains("assignments from " + platform.uri() + " fail"));
            platform.assign(generation(5, "web-1"));
            platform.restart();
            waitFor(() -> agent.applied.size() == 2);
            assertThat(agent.applied.get(1).generation()).isEqualTo(5);
            waitFor(() -> logText().split("receiving assignments", -1).length == 3);
        }
        assertThat(logText().split("assignments from .* fail", -1)).as("down once, said once").hasSize(2);
    }

    @Test
    void anAssignmentForAnotherHostIsNotApplied() throws Exception {
        platform.assign(new Assignment(Assignment.VERSION, "h-someone-else", 4, List.of()));
        try (var link = PlatformLink.join(platform.uri(), state, TOKEN, FAST, log)) {
            link.start(agent);
            waitFor(() -> logText().contains("for host h-someone-else"));
            platform.assign(new Assignment(Assignment.VERSION, HOST_ID, 5, List.of()));
            waitFor(() -> agent.applied.size() == 1);
        }
        assertThat(agent.applied.getFirst().generation()).isEqualTo(5);
    }

    @Test
    void logsShipOnlyWhatIsNewInBoundedChunksAcrossRotationAndRestarts() throws Exception {
        Path file = Files.createDirectories(state.resolve("c")).resolve("output.log");
        Files.writeString(file, "one\n");
        agent.logs = List.of(new LogSource("web-1", file));
        try (var link = PlatformLink.join(platform.uri(), state, TOKEN, FAST, log)) {
            link.start(agent);
            waitFor(() -> platform.logText("web-1").equals("one\n"));
            append(file, "two\n");
            waitFor(() -> platform.logText("web-1").equals("one\ntwo\n"));
            assertThat(platform.chunks.get(1).offset()).isEqualTo(4);

            // Rotation (copy to .1, truncate): whatever was left is shipped, then offsets start over.
            append(file, "three\n");
            new LogFile(file, 1, 3).rotateIfNeeded();
            append(file, "four\n");
            waitFor(() -> platform.logText("web-1").equals("one\ntwo\nthree\nfour\n"));
            assertThat(platform.chunks.getLast().offset()).isZero();

            // 100 KiB at once, with a three-byte character across the 64 KiB line: two chunks, no character cut.
            int before = platform.chunks.size();
            String big = "x".repeat(65535) + "€" + "y".repeat(100 * 1024 - 65538);
            append(file, big);
            waitFor(() -> platform.logText("web-1").endsWith(big));
            var bigChunks = platform.chunks.subList(before, platform.chunks.size());
            assertThat(bigChunks).allSatisfy(c -> assertThat(c.text().getBytes(StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(LogShipping.MAX_CHUNK));
            assertThat(bigChunks.getFirst().text()).endsWith("x").doesNotContain("\uFFFD");
            assertThat(bigChunks.get(1).text()).startsWith("€");
            long shippedTo = Files.size(file);
            Path cursors = state.resolve("platform/log-cursors.json");
            waitFor(() -> exists(cursors) && read(cursors).contains("\"offset\":" + shippedTo));
        }
        int shipped = platform.chunks.size();
        long end = Files.size(file);

        // A new agent on the same state goes on where the last one stopped.
        append(file, "five\n");
        try (var link = PlatformLink.join(platform.uri(), state, null, FAST, log)) {
            link.start(agent);
            waitFor(() -> platform.logText("web-1").endsWith("five\n"));
        }
        assertThat(platform.chunks.subList(shipped, platform.chunks.size())).singleElement()
                .satisfies(c -> assertThat(c.offset()).isEqualTo(end));
    }

    @Test
    void anEdgesAccessLinesShipAsAStreamOfTheirOwnBesideContainerLogs() throws Exception {
        Path output = Files.createDirectories(state.resolve("c")).resolve("output.log");
        Files.writeString(output, "listening\n");
        Path access = Files.createDirectories(state.resolve("edge/access")).resolve("edge_acme.web.log");
        var entry = new AccessEntry(java.time.Instant.parse("2026-12-05T19:40:01.123Z"), "acme/web", "shop.example.com", "GET",
                "/api/orders", 200, Duration.ofNanos(3_200_000), 512);
        String line = AccessLine.format(entry) + "\n";
        Files.writeString(access, line);
        agent.logs = List.of(new LogSource("acme.web.1.0", output), new LogSource(AccessLine.stream("acme/web"), access));
        try (var link = PlatformLink.join(platform.uri(), state, TOKEN, FAST, log)) {
            link.start(agent);
            waitFor(() -> platform.logText("edge_acme.web").equals(line) && platform.logText("acme.web.1.0").equals("listening\n"));
            assertThat(line).isEqualTo("2026-12-05T19:40:01.123Z GET /api/orders 200 3.2ms 512B\n");
            // Rotated as the edge rotates it: the rest of the copy first, then the new file from 0.
            append(access, line);
            new LogFile(access, 1, 1).rotateIfNeeded();
            String after = AccessLine.format(new AccessEntry(entry.time(), "acme/web", "shop.example.com", "GET", "/", 304,
                    Duration.ofMillis(1), 0)) + "\n";
            append(access, after);
            waitFor(() -> platform.logText("edge_acme.web").equals(line + line + after));
        }
        assertThat(platform.chunks).filteredOn(c -> c.container().equals("edge_acme.web")).last()
                .satisfies(c -> assertThat(c.offset()).isZero());
    }

    @Test
    void aLogFileThatChangesStartsOverAtZero() throws Exception {
        Path notes = Files.createDirectories(state.resolve("failures")).resolve("web-1.log");
        Files.writeString(notes, "cannot start web-1: no such image\n");
        agent.logs = List.of(new LogSource("web-1", notes));
        try (var link = PlatformLink.join(platform.uri(), state, TOKEN, FAST, log)) {
            link.start(agent);
            waitFor(() -> platform.logText("web-1").contains("no such image"));
            Path output = Files.createDirectories(state.resolve("c")).resolve("output.log");
            Files.writeString(output, "started\n");
            agent.logs = List.of(new LogSource("web-1", output));
            waitFor(() -> platform.logText("web-1").endsWith("started\n"));
        }
        assertThat(platform.chunks).extracting(c -> c.offset()).containsExactly(0L, 0L);
    }

    @Test
    void heartbeatsCarryWhatTheAgentReports() throws Exception {
        agent.statuses = List.of(new ContainerStatus("web-1", "web", "failed", null, false, null));
        try (var link = PlatformLink.join(platform.uri(), state, TOKEN, FAST, log)) {
            link.start(agent);
            waitFor(() -> !platform.heartbeats.isEmpty());
        }
        assertThat(platform.heartbeats.getFirst().containers()).extracting(ContainerStatus::state).containsExactly("failed");
    }

    private static boolean exists(Path file) {
        return Files.exists(file);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardOpenOption.APPEND);
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out");
            Thread.sleep(10);
        }
    }
}
