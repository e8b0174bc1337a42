package dev.berth.platform.sso;

import java.util.Set;

/**
 * What the identity provider vouched for at a sign-in: who (issuer and subject, the link to the
 * Berth user), a name to make a new user's from, and the person's groups.
 */
public record SignInIdentity(String issuer, String subject, String claimedName, Set<String> groups) {
    public SignInIdentity {
        groups = Set.copyOf(groups);
    }
}
