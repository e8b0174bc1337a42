package dev.berth.agent.link;

import static dev.berth.agent.link.StandInPlatform.HOST_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.Assignment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The link with two instances of one platform (two stand-ins accepting the same credential): failover and back. */
class PlatformFailoverTest {
    private static final String TOKEN = "berth-join_failoverfailover";
    /** A pace like production's, but heartbeats every second: failover must not wait for a long poll to end. */
    private static final PlatformLink.Timing TIMING = new PlatformLink.Timing(Duration.ofSeconds(1), Duration.ofSeconds(1), 25,
            Duration.ofSeconds(1));
    /** "Within a few seconds". */
    private static final Duration FAILOVER = Duration.ofSeconds(5);
    @TempDir
    Path state;
    private StandInPlatform first;
    private StandInPlatform second;
    private final RecordingAgent agent = new RecordingAgent();
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void setUp() throws Exception {
        first = new StandInPlatform();
        second = new StandInPlatform();
    }

    @AfterEach
    void tearDown() {
        first.close();
        second.close();
        assertThat(logText()).doesNotContain(StandInPlatform.CREDENTIAL).doesNotContain(TOKEN);
    }

    private String logText() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    /** Both instances read one database: the same assignment on each. */
    private void assign(long generation) {
        var next = new Assignment(Assignment.VERSION, HOST_ID, generation, List.of());
        first.assign(next);
        second.assign(next);
    }

    @Test
    void heartbeatsAndPollsMoveToTheOtherInstanceWithinSecondsAndBackAgain() throws Exception {
        assign(1);
        try (var link = PlatformLink.join(List.of(first.uri(), second.uri()), state, TOKEN, TIMING, log)) {
            link.start(agent);
            waitFor(() -> first.heartbeats.size() >= 2 && !first.polledAfter.isEmpty(), FAILOVER);
            assertThat(second.heartbeats).isEmpty();
            assertThat(second.polledAfter).as("a working instance is kept").isEmpty();

            first.stop();
            long stopped = System.nanoTime();
            waitFor(() -> second.heartbeats.size() >= 2 && second.polledAfter.size() >= 1, FAILOVER);
            Duration failover = Duration.ofNanos(System.nanoTime() - stopped);
            assign(2);
            waitFor(() -> link.appliedGeneration() == 2, FAILOVER);
            assertThat(logText()).containsOnlyOnce("talking to " + second.uri() + " now");

            first.restart();
            int beatsOnFirst = first.heartbeats.size();
            Thread.sleep(2500);
            assertThat(first.heartbeats).as("the link stays on the instance that works").hasSize(beatsOnFirst);

            second.stop();
            stopped = System.nanoTime();
            waitFor(() -> first.heartbeats.size() >= beatsOnFirst + 2 && first.polledAfter.contains(2L), FAILOVER);
            Duration back = Duration.ofNanos(System.nanoTime() - stopped);
            assign(3);
            waitFor(() -> link.appliedGeneration() == 3, FAILOVER);
            assertThat(logText()).containsOnlyOnce("talking to " + first.uri() + " now");
            System.out.println("failover " + failover.toMillis() + " ms, back " + back.toMillis() + " ms");
        }
        assertThat(agent.applied).extracting(Assignment::generation).containsExactly(1L, 2L, 3L);
    }

    @Test
    void anInstanceAnswering503IsLeftForTheNext() throws Exception {
        first.heartbeatStatus = 503;
        try (var link = PlatformLink.join(List.of(first.uri(), second.uri()), state, TOKEN, TIMING, log)) {
            link.start(agent);
            // The poll held by the first instance meanwhile ends on its own; the next one follows.
            waitFor(() -> second.heartbeats.size() >= 2, FAILOVER);
        }
        assertThat(logText()).contains("platform instance " + first.uri() + " fails (HTTP 503); talking to " + second.uri());
    }

    @Test
    void anInstanceSayingRetryAfterIsCalledAgainThenNotAfterAGrowingBackoff() throws Exception {
        first.heartbeatStatus = 503;
        first.heartbeatRetryAfter = "1";
        try (var link = PlatformLink.join(List.of(first.uri()), state, TOKEN, TIMING, log)) {
            link.start(agent);
            waitFor(() -> !first.heartbeats.isEmpty(), FAILOVER);
            int before = first.heartbeats.size();
            Thread.sleep(7000);
            // Doubling from 1 s, 7 s of failures are at most 3 more attempts (1, 2, 4 s); told 1 s (at most 1.2 s with jitter), at least 5.
            int during = first.heartbeats.size() - before;
            assertThat(during).as("heartbeat attempts in 7 s of 503 with Retry-After: 1").isGreaterThanOrEqualTo(5);
            first.heartbeatStatus = 204;
            first.heartbeatRetryAfter = null;
            int atReturn = first.heartbeats.size();
            long back = System.nanoTime();
            waitFor(() -> first.heartbeats.size() > atReturn, Duration.ofMillis(2500));
            System.out.println("heartbeats in 7 s of 503: " + during + "; noticed the return after "
                    + (System.nanoTime() - back) / 1_000_000 + " ms");
        }
    }

    @Test
    void joiningGoesToTheNextInstanceWhenTheFirstIsDownAndTheCredentialWorksOnBoth() throws Exception {
        first.stop();
        try (var link = PlatformLink.join(List.of(first.uri(), second.uri()), state, TOKEN, TIMING, log)) {
            assertThat(link.hostId()).isEqualTo(HOST_ID);
        }
        assertThat(second.registrations.get()).isEqualTo(1);
        assertThat(Files.readString(PlatformLink.credentialFile(state))).contains(second.uri().toString());
        // Later, listed the other way round: the stored credential is from one of them, so no join token is needed.
        first.restart();
        try (var link = PlatformLink.join(List.of(second.uri(), first.uri()), state, null, TIMING, log)) {
            link.start(agent);
            waitFor(() -> !second.heartbeats.isEmpty(), FAILOVER);
        }
    }

    @Test
    void aHungInstanceHoldsNeitherHeartbeatsNorThePollLongerThanATimeout() throws Exception {
        Joining.write(PlatformLink.credentialFile(state),
                new PlatformLink.StoredCredential(HOST_ID, StandInPlatform.CREDENTIAL, second.uri().toString()));
        // Connections are taken (by the kernel) and never answered: no reset, no refusal, only silence.
        try (var hung = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            var silent = java.net.URI.create("http://127.0.0.1:" + hung.getLocalPort());
            try (var link = PlatformLink.join(List.of(silent, second.uri()), state, null, TIMING, log)) {
                link.start(agent);
                waitFor(() -> !second.heartbeats.isEmpty(), PlatformCalls.REQUEST_TIMEOUT.plus(FAILOVER));
                long moved = System.nanoTime();
                // The poll held by the silent instance is given up when the heartbeats move, not at its own timeout.
                waitFor(() -> !second.polledAfter.isEmpty(), Duration.ofSeconds(2));
                System.out.println("poll followed in " + (System.nanoTime() - moved) / 1_000_000 + " ms");
                waitFor(() -> link.appliedGeneration() == 0, FAILOVER);
            }
        }
        assertThat(logText()).containsOnlyOnce("platform instance http://127.0.0.1:").contains("HttpTimeoutException")
                .contains("talking to " + second.uri() + " now");
    }

    private static void waitFor(BooleanSupplier condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + within);
            Thread.sleep(10);
        }
    }
}
