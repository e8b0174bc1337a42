package dev.berth.platform.teams;

/** A user's membership in a team. */
public record Member(String username, Role role) {
}
