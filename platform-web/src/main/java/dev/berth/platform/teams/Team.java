package dev.berth.platform.teams;

import dev.berth.platform.access.Role;
import java.time.Instant;

/** A team as the API and dashboard show it; {@code yourRole} is the caller's effective role. */
public record Team(String name, Instant createdAt, int members, Role yourRole) {
}
