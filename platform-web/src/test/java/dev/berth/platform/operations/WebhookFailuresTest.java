package dev.berth.platform.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.problem.Problem;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLTransientConnectionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

class WebhookFailuresTest {
    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new Problem.NotFound("no external repository 7"), "unknown_repository"),
                Arguments.of(new Problem.Unauthorized("bad signature"), "not_authentic"),
                Arguments.of(new Problem.Conflict("replayed"), "replayed"),
                Arguments.of(new Problem.Invalid("bad"), "invalid"),
                Arguments.of(new Problem.TooLarge("big"), "too_large"),
                Arguments.of(new CannotGetJdbcConnectionException("down", new SQLTransientConnectionException("timeout")),
                        "database_unavailable"),
                Arguments.of(new IllegalStateException("bug"), "error"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("failures")
    void namesTheReason(RuntimeException failure, String reason) {
        assertThat(WebhookFailures.reason(failure)).isEqualTo(reason);
        assertThat(WebhookFailures.REASONS).contains(reason);
    }

    @Test
    void everyReasonExistsBeforeItsFirstFailureAndCounts() {
        var meters = new SimpleMeterRegistry();
        var failures = new WebhookFailures(meters);
        assertThat(meters.find(WebhookFailures.METER).counters()).hasSize(WebhookFailures.REASONS.size());
        failures.count(new Problem.Unauthorized("bad signature"));
        assertThat(meters.get(WebhookFailures.METER).tag("reason", "not_authentic").counter().count()).isEqualTo(1);
        assertThat(meters.get(WebhookFailures.METER).tag("reason", "replayed").counter().count()).isZero();
    }
}
