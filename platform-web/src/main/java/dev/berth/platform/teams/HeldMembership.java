package dev.berth.platform.teams;

import dev.berth.platform.access.Role;

/**
 * A user's role in a team and whether the single sign-on group rules granted it ({@code byRule})
 * or a person did. Sign-ins change only the ones the rules granted.
 */
public record HeldMembership(Role role, boolean byRule) {
}
