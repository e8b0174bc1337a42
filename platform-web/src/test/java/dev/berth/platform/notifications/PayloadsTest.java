package dev.berth.platform.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PayloadsTest {
    private static final Notice FAILED = new Notice(UUID.fromString("6f1c0d0e-8a4b-4c55-9a43-1f0e6b1d2c3a"),
            NotificationEvent.DEPLOYMENT_FAILED, "shop", "web", Instant.parse("2026-12-06T08:00:00Z"),
            "deploying revision 7 of web failed: health gate timed out", new TreeMap<>(java.util.Map.of("revision", "7")));
    private static final Notice TEAM_WIDE = new Notice(UUID.fromString("00000000-0000-4000-8000-000000000001"),
            NotificationEvent.DEPLOYMENT_STARTED, "shop", null, Instant.parse("2026-12-06T08:00:00.123456Z"), "say \"hi\"",
            new TreeMap<>());

    static Stream<Arguments> bodies() {
        return Stream.of(
                Arguments.of(NotificationFormat.GENERIC, FAILED, "{\"id\":\"6f1c0d0e-8a4b-4c55-9a43-1f0e6b1d2c3a\","
                        + "\"type\":\"deployment.failed\",\"occurredAt\":\"2026-12-06T08:00:00Z\",\"team\":\"shop\",\"app\":\"web\","
                        + "\"summary\":\"deploying revision 7 of web failed: health gate timed out\",\"details\":{\"revision\":\"7\"}}"),
                Arguments.of(NotificationFormat.GENERIC, TEAM_WIDE, "{\"id\":\"00000000-0000-4000-8000-000000000001\","
                        + "\"type\":\"deployment.started\",\"occurredAt\":\"2026-12-06T08:00:00.123456Z\",\"team\":\"shop\","
                        + "\"app\":null,\"summary\":\"say \\\"hi\\\"\",\"details\":{}}"),
                Arguments.of(NotificationFormat.SLACK, FAILED,
                        "{\"text\":\"*deployment.failed* shop/web: deploying revision 7 of web failed: health gate timed out\"}"),
                Arguments.of(NotificationFormat.SLACK, TEAM_WIDE, "{\"text\":\"*deployment.started* shop: say \\\"hi\\\"\"}"),
                Arguments.of(NotificationFormat.TEAMS, FAILED, "{\"@type\":\"MessageCard\",\"@context\":\"https://schema.org/extensions\","
                        + "\"summary\":\"deploying revision 7 of web failed: health gate timed out\",\"themeColor\":\"E01E5A\","
                        + "\"title\":\"deployment.failed: shop/web\",\"text\":\"deploying revision 7 of web failed: health gate timed out\","
                        + "\"sections\":[{\"facts\":[{\"name\":\"revision\",\"value\":\"7\"}]}]}"),
                Arguments.of(NotificationFormat.TEAMS, TEAM_WIDE, "{\"@type\":\"MessageCard\",\"@context\":\"https://schema.org/extensions\","
                        + "\"summary\":\"say \\\"hi\\\"\",\"themeColor\":\"1D9BD1\",\"title\":\"deployment.started: shop\","
                        + "\"text\":\"say \\\"hi\\\"\"}"));
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void eachFormatMakesItsBody(NotificationFormat format, Notice notice, String expected) {
        assertThat(Payloads.body(format, notice)).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void theGenericJsonGivesBackTheNoticeItWasMadeOf(NotificationFormat ignored, Notice notice, String unused) {
        assertThat(Payloads.parse(Payloads.generic(notice))).isEqualTo(notice);
    }
}
