package dev.berth.registry;

import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** A token from a registry's token service, and until when to use it. */
record BearerToken(String token, Instant expires) {

    // The token spec's default lifetime when the service does not say.
    static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);

    /** Parses a token-service response ({@code token} or {@code access_token}, optional {@code expires_in}). */
    static BearerToken parse(byte[] json, Instant now) {
        JsonNode root = Json.object(json, "token response");
        String token = Json.text(root, "token");
        if (token == null || token.isEmpty()) token = Json.text(root, "access_token");
        if (token == null || token.isEmpty()) throw new IllegalArgumentException("token response has no token");
        long seconds = root.path("expires_in").asLong(0);
        Duration lifetime = seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_LIFETIME;
        // Renew a little early so a token does not expire between check and use.
        return new BearerToken(token, now.plus(lifetime).minusSeconds(Math.min(10, lifetime.toSeconds() / 2)));
    }

    boolean valid(Instant now) {
        return now.isBefore(expires);
    }

    @Override
    public String toString() {
        return "BearerToken[***, expires=" + expires + "]";
    }
}
