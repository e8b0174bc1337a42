package dev.berth.platform.repositories;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decides whether a webhook call comes from the forge that knows the repository's secret.
 * GitHub and Gitea sign the body with HMAC-SHA256; GitLab sends the secret itself as a token.
 * A replay is told apart by what the signature covers: the digest of the body, which no one can
 * change without the secret (the delivery id header is not signed, so it only adds a second key),
 * and, where the signed body dates the push, its age. Pure: headers, body and time in, verdict out.
 */
public final class WebhookCheck {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private WebhookCheck() {
    }

    /** The verdict on one call. */
    public sealed interface Verdict permits Authentic, Rejected {
    }

    /**
     * Signed with the repository's secret.
     *
     * @param deliveryId the forge's id for this delivery (not signed)
     * @param payloadDigest {@code sha256:<hex>} of the signed body: the same for every replay of it
     */
    public record Authentic(String forge, String deliveryId, String payloadDigest) implements Verdict {
    }

    /** How old a delivery whose signed body dates its push may be. */
    public static final Duration MAX_AGE = Duration.ofHours(1);

    public record Rejected(String reason) implements Verdict {
    }

    /**
     * @param header a request header by name (any case), or null
     * @param now when the call arrived, to refuse a delivery whose signed push time is older than {@link #MAX_AGE}
     */
    public static Verdict check(Function<String, String> header, byte[] body, String secret, Instant now) {
        String github = header.apply("X-Hub-Signature-256");
        String gitea = header.apply("X-Gitea-Signature");
        String gitlab = header.apply("X-Gitlab-Token");
        if (github != null) {
            if (!github.startsWith("sha256=")) return new Rejected("X-Hub-Signature-256 must be sha256=<hex>");
            return signed("github", github.substring(7), body, secret, header.apply("X-GitHub-Delivery"), now);
        }
        if (gitea != null) return signed("gitea", gitea, body, secret, header.apply("X-Gitea-Delivery"), now);
        if (gitlab != null) {
            if (!MessageDigest.isEqual(gitlab.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8))) {
                return new Rejected("the X-Gitlab-Token does not match this repository's webhook secret");
            }
            String delivery = header.apply("X-Gitlab-Event-UUID");
            if (delivery == null) delivery = header.apply("Idempotency-Key");
            return delivered("gitlab", delivery, body, now);
        }
        return new Rejected("no signature: expected X-Hub-Signature-256 (GitHub), X-Gitea-Signature (Gitea) or X-Gitlab-Token (GitLab)");
    }

    private static Verdict signed(String forge, String hex, byte[] body, String secret, String delivery, Instant now) {
        byte[] expected = hmac(secret, body);
        byte[] given;
        try {
            given = HexFormat.of().parseHex(hex.strip().toLowerCase());
        } catch (IllegalArgumentException e) {
            return new Rejected("the " + forge + " signature is not hex");
        }
        if (!MessageDigest.isEqual(expected, given)) {
            return new Rejected("the " + forge + " signature does not match the body and this repository's webhook secret");
        }
        return delivered(forge, delivery, body, now);
    }

    private static Verdict delivered(String forge, String delivery, byte[] body, Instant now) {
        if (delivery == null || delivery.isBlank() || delivery.length() > 200) {
            return new Rejected("the " + forge + " delivery id header is missing, so a replay could not be told apart");
        }
        Instant pushed = pushedAt(body);
        if (pushed != null && pushed.isBefore(now.minus(MAX_AGE))) {
            return new Rejected("the " + forge + " delivery is of a push at " + pushed + ", more than " + MAX_AGE.toMinutes()
                    + " minutes ago; an old delivery is not acted on (the repository is still polled)");
        }
        return new Authentic(forge, delivery.strip(), digest(body));
    }

    /** The push time the body itself states (GitHub: {@code repository.pushed_at}, epoch seconds), or null. */
    static Instant pushedAt(byte[] body) {
        try {
            var at = JSON.readTree(body).path("repository").path("pushed_at");
            return at.isIntegralNumber() ? Instant.ofEpochSecond(at.asLong()) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String digest(byte[] body) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hmac(String secret, byte[] body) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
