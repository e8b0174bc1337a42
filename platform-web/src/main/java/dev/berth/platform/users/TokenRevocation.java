package dev.berth.platform.users;

import dev.berth.platform.access.Caller;
import dev.berth.platform.access.RequestOrigin;
import java.util.List;

/**
 * What a password change or reset asks of the account's API tokens: they are revoked with it. The
 * tokens feature implements it, so users need not know tokens (tokens already know users' teams).
 */
public interface TokenRevocation {

    /**
     * Revokes all of the user's tokens but the one {@code caller} uses, if any, inside the
     * transaction that changes the password; returns the ids revoked.
     */
    List<String> revokeAllOf(Caller caller, long userId);

    /** Audits each revocation {@link #revokeAllOf} made, with the reason, once it is committed. */
    void auditRevoked(Caller caller, List<String> revoked, String owner, String reason, RequestOrigin origin);
}
