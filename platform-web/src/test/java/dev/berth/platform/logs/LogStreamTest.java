package dev.berth.platform.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.protocol.LogChunk;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LogStreamTest {
    private static final int MAX = 4;

    private static Optional<LogStream.State> after(long offset, String text, String pending) {
        return Optional.of(new LogStream.State(offset, LogStream.sha256(text), pending));
    }

    private static LogChunk chunk(long offset, String text) {
        return new LogChunk("c", offset, text);
    }

    static Stream<Arguments> table() {
        Optional<LogStream.State> first = Optional.empty();
        return Stream.of(
                //            name                                    before                       chunk                       lines                      pending  resent
                Arguments.of("first chunk, whole lines", first, chunk(0, "a\nb\n"), List.of("a", "b"), "", false),
                Arguments.of("first chunk leaves a line open", first, chunk(0, "a\nbc"), List.of("a"), "bc", false),
                Arguments.of("a first chunk may start anywhere", first, chunk(4096, "x\n"), List.of("x"), "", false),
                Arguments.of("empty lines stay", first, chunk(0, "\n\n"), List.of("", ""), "", false),
                Arguments.of("an empty chunk adds nothing", first, chunk(0, ""), List.of(), "", false),
                Arguments.of("a later offset continues the open line", after(0, "a\nbc", "bc"), chunk(4, "d\ne"),
                        List.of("bcd"), "e", false),
                Arguments.of("a later offset after a gap still continues", after(0, "bc", "bc"), chunk(900, "d\n"),
                        List.of("bcd"), "", false),
                Arguments.of("an earlier offset is a rotated log: the open line closes", after(100, "x", "x"),
                        chunk(0, "y\n"), List.of("x", "y"), "", false),
                Arguments.of("the same offset with other text is a rotation too", after(5, "old", "x"), chunk(5, "z\n"),
                        List.of("x", "z"), "", false),
                Arguments.of("the same offset and text is a resend", after(5, "q\nr", "r"), chunk(5, "q\nr"),
                        List.of(), "r", true),
                Arguments.of("CR LF ends a line", first, chunk(0, "a\r\nb\r\n"), List.of("a", "b"), "", false),
                Arguments.of("CR and LF split over chunks", after(0, "a\r", "a\r"), chunk(2, "\nb\n"), List.of("a", "b"), "",
                        false),
                Arguments.of("a CR inside a line stays", first, chunk(0, "a\rb\n"), List.of("a\rb"), "", false),
                Arguments.of("a long line is cut", first, chunk(0, "abcdefghij\n"), List.of("abcd", "efgh", "ij"), "", false),
                Arguments.of("a line of exactly the limit is one line", first, chunk(0, "abcd\n"), List.of("abcd"), "", false),
                Arguments.of("an open line at the limit is cut when more comes", after(0, "abcd", "abcd"), chunk(4, "e\n"),
                        List.of("abcd", "e"), "", false),
                Arguments.of("a surrogate pair is never split", first, chunk(0, "abc\uD83D\uDE00d\n"),
                        List.of("abc", "\uD83D\uDE00d"), "", false),
                Arguments.of("NUL becomes U+FFFD", first, chunk(0, "a\0b\n"), List.of("a\uFFFDb"), "", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void applies(String name, Optional<LogStream.State> before, LogChunk chunk, List<String> lines, String pending,
                 boolean resent) {
        var applied = LogStream.apply(before, chunk, MAX);
        assertThat(applied.lines()).isEqualTo(lines);
        assertThat(applied.next().pending()).isEqualTo(pending);
        assertThat(applied.resent()).isEqualTo(resent);
        if (resent) {
            assertThat(applied.next()).isEqualTo(before.orElseThrow());
        } else {
            assertThat(applied.next().lastOffset()).isEqualTo(chunk.offset());
        }
    }

    @Test
    void aChunkAppliedTwiceInARowIsTakenOnce() {
        var once = LogStream.apply(Optional.empty(), chunk(0, "a\nb"), MAX);
        var twice = LogStream.apply(Optional.of(once.next()), chunk(0, "a\nb"), MAX);
        assertThat(twice.resent()).isTrue();
        assertThat(twice.lines()).isEmpty();
        assertThat(twice.next()).isEqualTo(once.next());
    }

    @Test
    void aLimitTooSmallForASurrogatePairIsRefused() {
        assertThatThrownBy(() -> LogStream.apply(Optional.empty(), chunk(0, "x"), 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
