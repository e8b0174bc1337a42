package dev.berth.platform.access;

import dev.berth.platform.problem.Problem;
import java.util.Optional;

/**
 * Pure access decisions. A caller with no role at all in a team is told the team does not exist,
 * so team names do not leak; a member whose role is too low is told which role is needed.
 */
public final class AccessPolicy {
    private AccessPolicy() {
    }

    /** The result of a decision. */
    public sealed interface Decision permits Allowed, Denied, Hidden {
    }

    public record Allowed() implements Decision {
    }

    /** Known to exist, not permitted (HTTP 403). */
    public record Denied(String reason) implements Decision {
    }

    /** Answered as if the team did not exist (HTTP 404). */
    public record Hidden(String reason) implements Decision {
    }

    public static Decision decide(Caller caller, Permission permission, String team) {
        Optional<Role> needed = permission.teamRole();
        if (needed.isEmpty()) {
            return caller.platformAdmin() ? new Allowed()
                    : new Denied("only platform admins may " + permission.description()
                    + (caller.userIsPlatformAdmin() ? " (this token is narrowed to a team)" : ""));
        }
        Optional<Role> has = caller.roleIn(team);
        if (has.isEmpty()) return new Hidden("team '" + team + "' not found");
        if (!has.get().atLeast(needed.get())) {
            return new Denied("you need the " + needed.get() + " role in team '" + team + "' to "
                    + permission.description() + "; you have " + has.get());
        }
        return new Allowed();
    }

    /** Throws the matching {@link Problem} unless allowed. */
    public static void require(Caller caller, Permission permission, String team) {
        switch (decide(caller, permission, team)) {
            case Allowed a -> { }
            case Denied d -> throw new Problem.Forbidden(d.reason());
            case Hidden h -> throw new Problem.NotFound(h.reason());
        }
    }

    public static void require(Caller caller, Permission permission) {
        require(caller, permission, null);
    }

    /**
     * Whether the caller may do this platform-wide or in at least one team, that is, whether
     * offering it at all (a menu entry, say) makes sense. Platform admins act as ADMIN everywhere.
     */
    public static boolean allowedSomewhere(Caller caller, Permission permission) {
        return caller.platformAdmin()
                || permission.teamRole().map(role -> !caller.teamsWith(role).isEmpty()).orElse(false);
    }
}
