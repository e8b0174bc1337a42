package dev.berth.platform.tokens;

import dev.berth.platform.access.Role;
import java.time.Instant;

/** A personal API token as listed; never includes the secret. */
public record ApiToken(String id, String name, String owner, String team, Role maxRole, Instant createdAt,
                       Instant expiresAt, Instant revokedAt, Instant lastUsedAt) {

    public Status status(Instant now) {
        if (revokedAt != null) return Status.REVOKED;
        if (expiresAt != null && !now.isBefore(expiresAt)) return Status.EXPIRED;
        return Status.ACTIVE;
    }

    public enum Status { ACTIVE, EXPIRED, REVOKED }
}
