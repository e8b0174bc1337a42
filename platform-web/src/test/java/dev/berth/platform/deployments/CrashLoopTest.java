package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.ContainerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** When a replica's reported restarts make a crash loop, and that each episode is told once. */
class CrashLoopTest {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    /** A heartbeat {@code seconds} after T0 reporting {@code restarts}. */
    record Beat(long seconds, int restarts) {
    }

    private static Beat at(long seconds, int restarts) {
        return new Beat(seconds, restarts);
    }

    static Stream<Arguments> histories() {
        return Stream.of(
                Arguments.of("never restarted", List.of(at(0, 0), at(5, 0), at(10, 0)), List.of()),
                Arguments.of("two restarts are no loop", List.of(at(0, 1), at(5, 2), at(60, 2)), List.of()),
                Arguments.of("three restarts within ten minutes: told at the third", List.of(at(0, 1), at(5, 2), at(15, 3)),
                        List.of(15L)),
                Arguments.of("three at once (the platform saw one heartbeat of them)", List.of(at(0, 3)), List.of(0L)),
                Arguments.of("told once however long it keeps restarting",
                        List.of(at(0, 1), at(5, 2), at(15, 3), at(40, 4), at(100, 5), at(300, 9)), List.of(15L)),
                Arguments.of("restarts spread over more than ten minutes are no loop",
                        List.of(at(0, 1), at(400, 2), at(800, 3), at(1300, 4)), List.of()),
                Arguments.of("ten quiet minutes end the episode; the next loop is told again",
                        List.of(at(0, 3), at(300, 3), at(601, 3), at(700, 4), at(710, 5), at(720, 6)), List.of(0L, 720L)),
                Arguments.of("a quiet window ends the episode though no heartbeat was weighed in it (they repeated the same)",
                        List.of(at(0, 3), at(700, 4), at(710, 5), at(720, 6)), List.of(0L, 720L)),
                Arguments.of("a loop still restarting inside the window is the same episode",
                        List.of(at(0, 3), at(500, 4), at(1000, 5), at(1500, 6)), List.of(0L)),
                Arguments.of("an agent that counts anew is no restart", List.of(at(0, 2), at(5, 0), at(10, 0)), List.of()),
                Arguments.of("nor are the restarts it counted before", List.of(at(0, 2), at(700, 0), at(710, 1), at(720, 2)),
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void reportsAreToldOncePerEpisode(String name, List<Beat> beats, List<Long> toldAt) {
        var loop = CrashLoop.none();
        var told = new ArrayList<Long>();
        for (var beat : beats) {
            var step = loop.after(beat.restarts(), null, T0.plusSeconds(beat.seconds()));
            if (step.tell()) told.add(beat.seconds());
            loop = step.next();
        }
        assertThat(told).isEqualTo(toldAt);
    }

    @Test
    void anEndedEpisodeSaysSoOnce() {
        var told = CrashLoop.none().after(3, null, T0).next();
        var step = told.after(4, null, T0.plus(Duration.ofMinutes(11)));
        assertThat(step.ended()).isTrue();
        assertThat(step.tell()).isFalse();
        assertThat(step.next().toldAt()).isNull();
        assertThat(step.next().after(4, null, T0.plus(Duration.ofMinutes(12))).ended()).isFalse();
    }

    @Test
    void theLastExitIsKeptWhileTheRestartedContainerRuns() {
        var exited = CrashLoop.none().after(0, "exited with code 3", T0).next();
        var running = exited.after(1, null, T0.plusSeconds(2)).next();
        assertThat(running.lastExit()).isEqualTo("exited with code 3");
        // Read back from the database at microseconds, the same state: no write at every heartbeat.
        assertThat(running.after(1, null, T0.plus(Duration.ofSeconds(3))).next()).isEqualTo(running);
    }

    static Stream<Arguments> exits() {
        return Stream.of(
                Arguments.of(new ContainerStatus("c", "a", "exited", 3, false, null), "exited with code 3"),
                Arguments.of(new ContainerStatus("c", "a", "exited", 137, true, null),
                        "killed for running out of memory (over its memory limit)"),
                Arguments.of(new ContainerStatus("c", "a", "failed", null, false, null, 2, List.of(), List.of(), "image not found"),
                        "image not found"),
                Arguments.of(new ContainerStatus("c", "a", "running", null, false, null), null));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("exits")
    void anExitInWords(ContainerStatus status, String expected) {
        assertThat(CrashLoop.exitReason(status)).isEqualTo(expected);
    }
}
