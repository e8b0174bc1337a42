package dev.berth.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.backoff.Backoff;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Which instance the link talks to after failures: table-driven, times in seconds from T0. */
class InstanceChoiceTest {
    private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");
    private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
    private static final URI A = URI.create("https://a.example.com");
    private static final URI B = URI.create("https://b.example.com");
    private static final URI C = URI.create("https://c.example.com");

    /** One step: at second {@code at}, a call to {@code uri} failed (or worked). */
    record Step(int at, URI uri, boolean failed) {
        @Override
        public String toString() {
            return at + "s " + uri.getHost().charAt(0) + (failed ? " fails" : " works");
        }
    }

    static Step fails(int at, URI uri) {
        return new Step(at, uri, true);
    }

    static Step works(int at, URI uri) {
        return new Step(at, uri, false);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("one instance stays put", List.of(A), List.of(fails(0, A), fails(1, A)), A, 2),
                Arguments.of("a working instance is kept", List.of(A, B), List.of(works(0, A), works(5, A)), A, 0),
                Arguments.of("a failure moves to the next", List.of(A, B), List.of(fails(0, A)), B, 0),
                Arguments.of("a late failure of the instance left changes nothing", List.of(A, B),
                        List.of(fails(0, A), fails(0, A)), B, 0),
                Arguments.of("both failing: back to the first once its backoff ends", List.of(A, B),
                        List.of(fails(0, A), fails(0, B)), A, 1),
                Arguments.of("the one whose backoff ends first when none is ready", List.of(A, B),
                        List.of(fails(0, A), fails(0, B), fails(1, A), fails(2, B)), A, 1),
                Arguments.of("the next in the list whose backoff is over, skipping one in backoff", List.of(A, B, C),
                        List.of(fails(0, A), fails(1, B), fails(2, C)), A, 0),
                Arguments.of("cycling: the third after the second", List.of(A, B, C), List.of(fails(0, A), fails(0, B)), C, 0),
                Arguments.of("a dead instance is tried again only when the current one fails", List.of(A, B),
                        List.of(fails(0, A), works(1, B), works(300, B)), B, 0),
                Arguments.of("back to the first when the second stops, long after", List.of(A, B),
                        List.of(fails(0, A), works(1, B), fails(300, B)), A, 0),
                Arguments.of("an answer forgets the failures: next backoff starts at 1 s", List.of(A, B),
                        List.of(fails(0, A), fails(0, B), fails(1, A), works(4, B), fails(5, B), fails(5, A)), B, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void theNextInstance(String name, List<URI> uris, List<Step> steps, URI expected, int readyInSeconds) {
        var choice = InstanceChoice.of(uris, BACKOFF);
        Instant now = T0;
        for (Step step : steps) {
            now = T0.plusSeconds(step.at());
            choice = step.failed() ? choice.failed(step.uri(), now) : choice.worked(step.uri());
        }
        assertThat(choice.uri()).as(name).isEqualTo(expected);
        assertThat(choice.readyIn(now)).as(name).isEqualTo(Duration.ofSeconds(readyInSeconds));
    }

    @Test
    void theSharedInstancesLogEachMoveOnceAndShortenTheWaitAfterIt() {
        var clock = new java.util.concurrent.atomic.AtomicReference<>(T0);
        var log = new java.io.ByteArrayOutputStream();
        var instances = new PlatformInstances(List.of(A, B), Duration.ofSeconds(1), new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return clock.get();
            }
        }, new java.io.PrintStream(log, true));
        instances.failed(A, "ConnectException");
        instances.failed(A, "HttpTimeoutException"); // a second loop's call that began before the move
        assertThat(instances.current()).isEqualTo(B);
        assertThat(log.toString()).containsOnlyOnce("talking to " + B + " now")
                .contains("platform instance " + A + " fails (ConnectException)");
        assertThat(instances.retryAfter(A, Duration.ofSeconds(8))).as("B may be called at once").isZero();
        assertThat(instances.retryAfter(B, Duration.ofSeconds(8))).as("no move: the loop's own backoff").hasSeconds(8);
        instances.failed(B, "HTTP 503");
        assertThat(instances.current()).isEqualTo(A);
        assertThat(instances.retryAfter(B, Duration.ofSeconds(8))).as("A's backoff is what is left").hasSeconds(1);
        clock.set(T0.plusSeconds(1));
        assertThat(instances.retryAfter(B, Duration.ofSeconds(8))).isZero();
        assertThat(PlatformInstances.unavailable(502)).isTrue();
        assertThat(PlatformInstances.unavailable(504)).isTrue();
        assertThat(PlatformInstances.unavailable(500)).isFalse();
        assertThat(PlatformInstances.unavailable(401)).isFalse();
    }
}
