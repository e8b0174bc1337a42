package dev.berth.platform.repositories;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decides whether a webhook call comes from the forge that knows the repository's secret.
 * GitHub and Gitea sign the body with HMAC-SHA256; GitLab sends the secret itself as a token.
 * Every forge names the delivery, so a replayed call can be told apart. Pure: headers in, verdict out.
 */
public final class WebhookCheck {
    private WebhookCheck() {
    }

    /** The verdict on one call. */
    public sealed interface Verdict permits Authentic, Rejected {
    }

    /** Signed with the repository's secret; {@code deliveryId} is the forge's id for this delivery. */
    public record Authentic(String forge, String deliveryId) implements Verdict {
    }

    public record Rejected(String reason) implements Verdict {
    }

    /** @param header a request header by name (any case), or null */
    public static Verdict check(Function<String, String> header, byte[] body, String secret) {
        String github = header.apply("X-Hub-Signature-256");
        String gitea = header.apply("X-Gitea-Signature");
        String gitlab = header.apply("X-Gitlab-Token");
        if (github != null) {
            if (!github.startsWith("sha256=")) return new Rejected("X-Hub-Signature-256 must be sha256=<hex>");
            return signed("github", github.substring(7), body, secret, header.apply("X-GitHub-Delivery"));
        }
        if (gitea != null) return signed("gitea", gitea, body, secret, header.apply("X-Gitea-Delivery"));
        if (gitlab != null) {
            if (!MessageDigest.isEqual(gitlab.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8))) {
                return new Rejected("the X-Gitlab-Token does not match this repository's webhook secret");
            }
            String delivery = header.apply("X-Gitlab-Event-UUID");
            if (delivery == null) delivery = header.apply("Idempotency-Key");
            return delivered("gitlab", delivery);
        }
        return new Rejected("no signature: expected X-Hub-Signature-256 (GitHub), X-Gitea-Signature (Gitea) or X-Gitlab-Token (GitLab)");
    }

    private static Verdict signed(String forge, String hex, byte[] body, String secret, String delivery) {
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
        return delivered(forge, delivery);
    }

    private static Verdict delivered(String forge, String delivery) {
        if (delivery == null || delivery.isBlank() || delivery.length() > 200) {
            return new Rejected("the " + forge + " delivery id header is missing, so a replay could not be told apart");
        }
        return new Authentic(forge, delivery.strip());
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
