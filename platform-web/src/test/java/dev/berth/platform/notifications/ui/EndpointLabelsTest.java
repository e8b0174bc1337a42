package dev.berth.platform.notifications.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.notifications.Delivery;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How a delivery's outcome and answer read in the endpoints grid and the deliveries dialog. */
class EndpointLabelsTest {
    private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");

    private static Delivery delivery(Delivery.Status status, int attempts, Integer code, String body, String error) {
        return new Delivery(7, UUID.randomUUID(), "deployment.failed", T, status, attempts,
                status == Delivery.Status.PENDING ? T.plusSeconds(30) : null, attempts == 0 ? null : T, code, body, error);
    }

    static Stream<Arguments> outcomes() {
        return Stream.of(
                Arguments.of("none", null, "none yet"),
                Arguments.of("owed, not tried", delivery(Delivery.Status.PENDING, 0, null, null, null), "sending"),
                Arguments.of("delivered", delivery(Delivery.Status.DELIVERED, 1, 204, "", null), "204 delivered 2026-12-06 10:00:00"),
                Arguments.of("failed, tried again", delivery(Delivery.Status.PENDING, 1, 503, "busy", "the receiver answered 503"),
                        "503 failed, retried 2026-12-06 10:00:30"),
                Arguments.of("no answer, tried again", delivery(Delivery.Status.PENDING, 2, null, null, "timed out"),
                        "failed, retried 2026-12-06 10:00:30"),
                Arguments.of("given up", delivery(Delivery.Status.FAILED, 9, 500, "oops", "the receiver answered 500"), "500 gave up"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outcomes")
    void anOutcomeInWords(String name, Delivery d, String expected) {
        assertThat(EndpointLabels.outcome(d)).isEqualTo(expected);
    }

    static Stream<Arguments> excerpts() {
        return Stream.of(
                Arguments.of("the answer", delivery(Delivery.Status.DELIVERED, 1, 200, "ok\n  thanks", null), "ok thanks"),
                Arguments.of("no answer: the error", delivery(Delivery.Status.PENDING, 1, null, null, "connection refused"),
                        "connection refused"),
                Arguments.of("an answer wins over the error", delivery(Delivery.Status.PENDING, 1, 500, "boom", "the receiver answered 500"),
                        "boom"),
                Arguments.of("a long answer is cut", delivery(Delivery.Status.DELIVERED, 1, 200, "x".repeat(500), null),
                        "x".repeat(EndpointLabels.EXCERPT - 1) + "…"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("excerpts")
    void anExcerptOnOneLine(String name, Delivery d, String expected) {
        assertThat(EndpointLabels.excerpt(d)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void aNameInAnElementId() {
        assertThat(EndpointLabels.idPart("ops")).isEqualTo("ops");
        assertThat(EndpointLabels.idPart("Ops team.v2")).isEqualTo("Ops_team_v2");
    }

    @org.junit.jupiter.api.Test
    void eventsChosen() {
        assertThat(EndpointLabels.events(java.util.List.of(dev.berth.platform.notifications.NotificationEvent.values())))
                .isEqualTo("all events");
        assertThat(EndpointLabels.events(java.util.List.of(dev.berth.platform.notifications.NotificationEvent.DEPLOYMENT_FAILED,
                dev.berth.platform.notifications.NotificationEvent.HOST_LOST))).isEqualTo("deployment.failed, host.lost");
    }
}
