package dev.berth.platform.users;

import java.time.Instant;

/**
 * A stored user. The password hash never leaves the users package and the sign-in of the web edge.
 * {@code credentialsVersion} goes up with every password change or reset; sessions signed in
 * under an older one are over.
 */
public record UserAccount(long id, String username, String passwordHash, boolean platformAdmin,
                          long credentialsVersion, Instant createdAt) {
}
