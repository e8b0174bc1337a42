package dev.berth.platform.access;

import dev.berth.platform.problem.Problem;

/** A member's role in a team, ordered from least to most rights. */
public enum Role {
    VIEWER, DEPLOYER, ADMIN;

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    public static Role lower(Role a, Role b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Parses a role name case-insensitively, with an error that lists the valid names. */
    public static Role parse(String name) {
        if (name != null) {
            for (Role r : values()) if (r.name().equalsIgnoreCase(name.trim())) return r;
        }
        throw new Problem.Invalid(
                "unknown role '" + name + "': use one of VIEWER, DEPLOYER, ADMIN");
    }
}
