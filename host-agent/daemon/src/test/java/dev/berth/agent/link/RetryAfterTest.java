package dev.berth.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.backoff.Backoff;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What an instance's {@code Retry-After} makes the agent wait: table-driven, pure. */
class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private static final URI A = URI.create("https://a.example.com");
    private static final URI B = URI.create("https://b.example.com");

    static Stream<Arguments> headers() {
        return Stream.of(
                Arguments.of("seconds", "5", Optional.of(Duration.ofSeconds(5))),
                Arguments.of("spaces around", " 7 ", Optional.of(Duration.ofSeconds(7))),
                Arguments.of("zero waits a second, no busy loop", "0", Optional.of(Duration.ofSeconds(1))),
                Arguments.of("an hour is capped at the longest backoff", "3600", Optional.of(LinkParts.MAX_BACKOFF)),
                Arguments.of("a number too long for a long is capped", "99999999999999999999999", Optional.of(LinkParts.MAX_BACKOFF)),
                Arguments.of("an HTTP date", "Sat, 05 Dec 2026 12:00:12 GMT", Optional.of(Duration.ofSeconds(12))),
                Arguments.of("an HTTP date past", "Sat, 05 Dec 2026 11:00:00 GMT", Optional.of(Duration.ofSeconds(1))),
                Arguments.of("absent", null, Optional.empty()),
                Arguments.of("blank", " ", Optional.empty()),
                Arguments.of("negative", "-5", Optional.empty()),
                Arguments.of("a fraction", "1.5", Optional.empty()),
                Arguments.of("words", "soon", Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headers")
    void theWaitAHeaderSays(String name, String header, Optional<Duration> expected) {
        assertThat(RetryAfter.parse(header, NOW)).as(name).isEqualTo(expected);
    }

    @Test
    void jitterAddsUpToAFifthAndStaysUnderTheCap() {
        assertThat(RetryAfter.jittered(Duration.ofSeconds(5), () -> 0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(RetryAfter.jittered(Duration.ofSeconds(5), () -> 0.5)).isEqualTo(Duration.ofMillis(5500));
        assertThat(RetryAfter.jittered(Duration.ofSeconds(5), () -> 0.999999)).isLessThanOrEqualTo(Duration.ofSeconds(6));
        assertThat(RetryAfter.jittered(Duration.ofSeconds(55), () -> 0.9)).isEqualTo(LinkParts.MAX_BACKOFF);
        assertThat(RetryAfter.jittered(LinkParts.MAX_BACKOFF, () -> 0.9)).isEqualTo(LinkParts.MAX_BACKOFF);
    }

    /** The wait after a failure on {@code tried}, the loop's own backoff being {@code ownSeconds}. */
    static Stream<Arguments> waits() {
        return Stream.of(
                Arguments.of("told 5 s, the loop's backoff at 32 s: 5 s", List.of(A), 5, 32, 5),
                Arguments.of("told 5 s, the loop's backoff at 1 s: still 5 s, the instance cannot serve before", List.of(A), 5, 1, 5),
                Arguments.of("not told: the loop's backoff", List.of(A), -1, 32, 32),
                Arguments.of("told, but another instance is ready: no wait", List.of(A, B), 5, 32, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("waits")
    void theWaitAfterAFailure(String name, List<URI> uris, int toldSeconds, int ownSeconds, int expectedSeconds) {
        var choice = InstanceChoice.of(uris, new Backoff(Duration.ofSeconds(1), LinkParts.MAX_BACKOFF))
                .failed(A, NOW, toldSeconds < 0 ? null : Duration.ofSeconds(toldSeconds));
        assertThat(choice.waitAfter(A, Duration.ofSeconds(ownSeconds), NOW)).as(name).isEqualTo(Duration.ofSeconds(expectedSeconds));
    }

    @Test
    void anAnswerForgetsWhatTheInstanceSaid() {
        var choice = InstanceChoice.of(List.of(A), new Backoff(Duration.ofSeconds(1), LinkParts.MAX_BACKOFF))
                .failed(A, NOW, Duration.ofSeconds(5)).worked(A);
        assertThat(choice.waitAfter(A, Duration.ofSeconds(2), NOW)).isEqualTo(Duration.ofSeconds(2));
    }
}
