package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WebhookCheckTest {
    private static final String SECRET = "s3cret";
    private static final byte[] BODY = "{\"ref\":\"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = HexFormat.of().formatHex(WebhookCheck.hmac(SECRET, BODY));
    private static final Instant NOW = Instant.parse("2026-12-05T04:00:00Z");
    private static final String WRONG = HexFormat.of().formatHex(WebhookCheck.hmac("other", BODY));

    static Stream<Arguments> calls() {
        return Stream.of(
                Arguments.of("github signed", Map.of("X-Hub-Signature-256", "sha256=" + SIGNATURE, "X-GitHub-Delivery", "d1"), "github d1"),
                Arguments.of("github wrong secret", Map.of("X-Hub-Signature-256", "sha256=" + WRONG, "X-GitHub-Delivery", "d1"),
                        "the github signature does not match"),
                Arguments.of("github no prefix", Map.of("X-Hub-Signature-256", SIGNATURE, "X-GitHub-Delivery", "d1"), "must be sha256=<hex>"),
                Arguments.of("github not hex", Map.of("X-Hub-Signature-256", "sha256=zz", "X-GitHub-Delivery", "d1"), "is not hex"),
                Arguments.of("github no delivery", Map.of("X-Hub-Signature-256", "sha256=" + SIGNATURE), "delivery id header is missing"),
                Arguments.of("gitea signed", Map.of("X-Gitea-Signature", SIGNATURE, "X-Gitea-Delivery", "g1"), "gitea g1"),
                Arguments.of("gitea wrong", Map.of("X-Gitea-Signature", WRONG, "X-Gitea-Delivery", "g1"), "the gitea signature does not match"),
                Arguments.of("gitlab token", Map.of("X-Gitlab-Token", SECRET, "X-Gitlab-Event-UUID", "l1"), "gitlab l1"),
                Arguments.of("gitlab idempotency key", Map.of("X-Gitlab-Token", SECRET, "Idempotency-Key", "l2"), "gitlab l2"),
                Arguments.of("gitlab wrong token", Map.of("X-Gitlab-Token", "guess", "X-Gitlab-Event-UUID", "l1"),
                        "X-Gitlab-Token does not match"),
                Arguments.of("nothing", Map.of(), "no signature: expected X-Hub-Signature-256"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void eachForgesProofIsChecked(String name, Map<String, String> headers, String expected) {
        var caseless = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
        caseless.putAll(headers);
        var verdict = WebhookCheck.check(caseless::get, BODY, SECRET, NOW);
        String text = switch (verdict) {
            case WebhookCheck.Authentic a -> a.forge() + " " + a.deliveryId();
            case WebhookCheck.Rejected r -> r.reason();
        };
        assertThat(text).contains(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void aChangedBodyNeverPassesASignature(String name, Map<String, String> headers, String expected) {
        var caseless = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
        caseless.putAll(headers);
        if (!headers.containsKey("X-Hub-Signature-256") && !headers.containsKey("X-Gitea-Signature")) return;
        var tampered = "{\"ref\":\"refs/heads/evil\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookCheck.check(caseless::get, tampered, SECRET, NOW)).isInstanceOf(WebhookCheck.Rejected.class);
    }

    private static byte[] push(String after, Instant pushedAt) {
        String repository = pushedAt == null ? "{\"name\":\"api\"}" : "{\"name\":\"api\",\"pushed_at\":" + pushedAt.getEpochSecond() + "}";
        return ("{\"ref\":\"refs/heads/main\",\"after\":\"" + after + "\",\"repository\":" + repository + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static WebhookCheck.Verdict github(byte[] body, String delivery) {
        var headers = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(Map.of("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(WebhookCheck.hmac(SECRET, body)),
                "X-GitHub-Delivery", delivery));
        return WebhookCheck.check(headers::get, body, SECRET, NOW);
    }

    static Stream<Arguments> ages() {
        return Stream.of(
                Arguments.of("pushed just now", NOW, true),
                Arguments.of("pushed 59 minutes ago", NOW.minusSeconds(59 * 60), true),
                Arguments.of("pushed exactly an hour ago", NOW.minus(WebhookCheck.MAX_AGE), true),
                Arguments.of("pushed an hour and a second ago", NOW.minus(WebhookCheck.MAX_AGE).minusSeconds(1), false),
                Arguments.of("pushed last year", NOW.minusSeconds(365L * 86_400), false),
                Arguments.of("no push time in the body (Gitea, GitLab)", null, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ages")
    void aDeliveryWhoseSignedBodyDatesAnOldPushIsRefused(String name, Instant pushedAt, boolean accepted) {
        var verdict = github(push("abc", pushedAt), "d-" + name);
        if (accepted) {
            assertThat(verdict).isInstanceOf(WebhookCheck.Authentic.class);
        } else {
            assertThat(verdict).isInstanceOfSatisfying(WebhookCheck.Rejected.class,
                    r -> assertThat(r.reason()).contains("more than 60 minutes ago").contains("an old delivery is not acted on"));
        }
    }

    /**
     * The payload key of two deliveries: [first body, its delivery id, second body, its delivery id,
     * same key?]. The store refuses a delivery whose id or payload key it has seen.
     */
    static Stream<Arguments> replays() {
        byte[] a = push("aaa", NOW);
        byte[] b = push("bbb", NOW);
        return Stream.of(
                Arguments.of("the same delivery again", a, "d1", a, "d1", true),
                Arguments.of("the same signed body under a new delivery id", a, "d1", a, "d2", true),
                Arguments.of("another push under the same delivery id", a, "d1", b, "d1", false),
                Arguments.of("another push, another delivery", a, "d1", b, "d2", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("replays")
    void theReplayKeyIsWhatTheSignatureCovers(String name, byte[] first, String firstId, byte[] second, String secondId, boolean samePayload) {
        var one = (WebhookCheck.Authentic) github(first, firstId);
        var two = (WebhookCheck.Authentic) github(second, secondId);
        assertThat(one.payloadDigest().equals(two.payloadDigest())).isEqualTo(samePayload);
        assertThat(one.payloadDigest()).startsWith("sha256:").hasSize(7 + 64);
    }

    @org.junit.jupiter.api.Test
    void gitlabsTokenSignsNothingSoItsPayloadKeyIsTheBodyAlone() {
        var headers = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(Map.of("X-Gitlab-Token", SECRET, "X-Gitlab-Event-UUID", "l1"));
        var one = (WebhookCheck.Authentic) WebhookCheck.check(headers::get, BODY, SECRET, NOW);
        headers.put("X-Gitlab-Event-UUID", "l2");
        var two = (WebhookCheck.Authentic) WebhookCheck.check(headers::get, BODY, SECRET, NOW);
        assertThat(List.of(one.payloadDigest())).containsExactly(two.payloadDigest());
    }
}
