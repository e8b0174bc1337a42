package dev.berth.platform.teams;

import dev.berth.platform.access.Role;
/** A user's membership in a team. */
public record Member(String username, Role role) {
}
