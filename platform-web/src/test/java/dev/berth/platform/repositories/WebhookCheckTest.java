package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
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
        var verdict = WebhookCheck.check(caseless::get, BODY, SECRET);
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
        assertThat(WebhookCheck.check(caseless::get, tampered, SECRET)).isInstanceOf(WebhookCheck.Rejected.class);
    }
}
