package dev.berth.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CappedInputStreamTest {
    private static final BodyArea AREA = new BodyArea("api", "/api/**", 1000, "berth.bodies.api-max-bytes");

    /** Bytes as a servlet would hand them over. */
    private static ServletInputStream body(int size) {
        var in = new ByteArrayInputStream(new byte[size]);
        return new ServletInputStream() {
            @Override public boolean isFinished() { return in.available() == 0; }
            @Override public boolean isReady() { return true; }
            @Override public void setReadListener(ReadListener listener) { }
            @Override public int read() { return in.read(); }
            @Override public int read(byte[] b, int off, int len) { return in.read(b, off, len); }
        };
    }

    /** [body size, declared Content-Length (-1: chunked), read whole?]. */
    static Stream<Arguments> bodies() {
        return Stream.of(
                Arguments.of(0, -1, true),
                Arguments.of(999, -1, true),
                Arguments.of(1000, -1, true),
                Arguments.of(1001, -1, false),
                Arguments.of(50_000, -1, false),
                Arguments.of(10, 10, true),
                Arguments.of(1000, 1000, true));
    }

    @ParameterizedTest(name = "{0} bytes, declared {1}")
    @MethodSource("bodies")
    void aBodyIsReadWholeUpToTheLimitAndNotOneByteBeyond(int size, long declared, boolean whole) throws Exception {
        var budget = new BodyBudget(4096, Duration.ZERO);
        var capped = new CappedInputStream(body(size), AREA, budget, declared);
        if (whole) {
            assertThat(capped.readAllBytes()).hasSize(size);
        } else {
            assertThatThrownBy(capped::readAllBytes).isInstanceOf(BodyTooLargeException.class)
                    .hasMessageContaining("at most 1000 bytes; this one is longer");
            assertThat(budget.peak()).as("held no more than the limit and one byte").isLessThanOrEqualTo(1001);
        }
        assertThat(budget.inFlight()).as("held until the request ends").isEqualTo(Math.min(size, 1001));
        capped.release();
        assertThat(budget.inFlight()).isZero();
    }

    @Test
    void aReadThatFindsNoRoomInTheBudgetIsTurnedAway() throws Exception {
        var budget = new BodyBudget(1500, Duration.ZERO);
        var first = new CappedInputStream(body(1000), AREA, budget, -1);
        assertThat(first.readAllBytes()).hasSize(1000);
        var second = new CappedInputStream(body(1000), AREA, budget, -1);
        assertThatThrownBy(second::readAllBytes).isInstanceOf(BodyBudgetExhaustedException.class)
                .hasMessageContaining("too many request bodies at once");
        first.release();
        second.release();
        var third = new CappedInputStream(body(1000), AREA, budget, 1000);
        assertThat(third.readAllBytes()).as("room again once the first request ended").hasSize(1000);
        third.release();
        assertThat(budget.inFlight()).isZero();
        assertThat(budget.peak()).isLessThanOrEqualTo(budget.capacity());
    }
}
