package dev.berth.platform.sso;

import dev.berth.platform.access.Role;
import java.time.Instant;

/** A platform admin's rule: members of {@code group} at the identity provider get {@code role} in {@code team}. */
public record GroupRule(long id, String group, String team, Role role, String createdBy, Instant createdAt) {
}
