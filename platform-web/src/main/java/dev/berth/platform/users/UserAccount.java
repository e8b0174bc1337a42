package dev.berth.platform.users;

import java.time.Instant;

/** A stored user. The password hash never leaves the users and security packages. */
public record UserAccount(long id, String username, String passwordHash, boolean platformAdmin,
                          Instant lockedUntil, Instant createdAt) {
}
