package dev.berth.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BodyAreaTest {
    private static final BodyLimitProperties LIMITS = new BodyLimitProperties(1000L * 1024, 2000L * 1024, 3000L * 1024,
            4000L * 1024, 64L << 20, Duration.ofSeconds(1));
    private static final long LOGS = 5000L * 1024;

    static Stream<Arguments> paths() {
        return Stream.of(
                Arguments.of("/api/v1/repositories/7/webhook", "webhook", 2000L * 1024),
                Arguments.of("/api/v1/repositories//webhook", "api", 1000L * 1024),
                Arguments.of("/api/v1/repositories/7/webhook/x", "api", 1000L * 1024),
                Arguments.of("/api/v1/teams", "api", 1000L * 1024),
                Arguments.of("/api/v1/teams/a/apps/b/secrets/C", "api", 1000L * 1024),
                Arguments.of("/api", "api", 1000L * 1024),
                Arguments.of("/agent/v1/logs", "agent logs", LOGS),
                Arguments.of("/agent/v1/logs/x", "agent", 3000L * 1024),
                Arguments.of("/agent/v1/heartbeat", "agent", 3000L * 1024),
                Arguments.of("/agent/v1/register", "agent", 3000L * 1024),
                Arguments.of("/git/team/repo.git/git-receive-pack", "git", BodyArea.UNCAPPED),
                Arguments.of("/gitx/whatever", "dashboard", 4000L * 1024),
                Arguments.of("/apix", "dashboard", 4000L * 1024),
                Arguments.of("/login", "dashboard", 4000L * 1024),
                Arguments.of("/", "dashboard", 4000L * 1024),
                Arguments.of("/VAADIN/push", "dashboard", 4000L * 1024));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("paths")
    void eachPathFallsInOneArea(String path, String area, long limit) {
        var found = BodyArea.find(BodyArea.areas(LIMITS, LOGS), path);
        assertThat(found.name()).isEqualTo(area);
        assertThat(found.limit()).isEqualTo(limit);
        assertThat(found.capped()).isEqualTo(limit != BodyArea.UNCAPPED);
    }

    static Stream<Arguments> messages() {
        var api = BodyArea.find(BodyArea.areas(LIMITS, LOGS), "/api/v1/teams");
        return Stream.of(
                Arguments.of(api.tooLarge(2_000_000), "may be at most 1024000 bytes; this one is 2000000 bytes (limit: berth.bodies.api-max-bytes)"),
                Arguments.of(api.tooLarge(-1), "may be at most 1024000 bytes; this one is longer"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("messages")
    void aRefusalSaysTheLimitAndTheSetting(String message, String expected) {
        assertThat(message).startsWith("a request body for the api area ").contains(expected);
    }
}
