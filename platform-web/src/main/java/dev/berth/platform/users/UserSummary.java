package dev.berth.platform.users;

import java.time.Instant;

/** What the API and dashboard show of a user; {@code locked}: some address is locked out of the account now. */
public record UserSummary(String username, boolean platformAdmin, boolean locked, Instant createdAt) {
}
