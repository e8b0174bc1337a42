package dev.berth.platform.users;

import java.time.Instant;

/**
 * A stored user. The password hash never leaves the users package and the sign-in of the web edge;
 * it is null for an account made by a single sign-on, which has no local password until a platform
 * admin sets one. {@code credentialsVersion} goes up with every password change or reset; sessions
 * signed in under an older one are over.
 */
public record UserAccount(long id, String username, String passwordHash, boolean platformAdmin,
                          long credentialsVersion, Instant createdAt) {

    public boolean hasPassword() {
        return passwordHash != null;
    }
}
