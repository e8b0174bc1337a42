package dev.berth.platform.teams;

import dev.berth.platform.access.Role;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Memberships the single sign-on group rules grant, changed at a user's sign-in without an access
 * check (the rules are a platform admin's). Only memberships the rules granted are touched: one a
 * person granted stays as it is. Auditing is the caller's, after each change committed.
 */
@Service
public class RuleMemberships {
    private final TeamStore teams;
    private final TransactionTemplate tx;

    RuleMemberships(TeamStore teams, TransactionTemplate tx) {
        this.teams = teams;
        this.tx = tx;
    }

    /** What one change did. */
    public sealed interface Outcome permits Changed, KeptLastAdmin, Untouched {
    }

    /** Done; {@code previous} is the rule-granted role before, if there was one. */
    public record Changed(Optional<Role> previous) implements Outcome {
    }

    /** Not done: the user is the team's last ADMIN, and a team keeps one (as when a person changes it). */
    public record KeptLastAdmin() implements Outcome {
    }

    /** Not done: the team is gone, or a person has granted this membership meanwhile. */
    public record Untouched() implements Outcome {
    }

    /** Every team the user belongs to, with the role and who granted it. */
    public Map<String, HeldMembership> of(long userId) {
        return teams.heldBy(userId);
    }

    /**
     * Sets the user's rule-granted membership of {@code team} to {@code role}, or removes it when
     * empty.
     */
    public Outcome set(String team, long userId, Optional<Role> role) {
        return tx.execute(s -> {
            var row = teams.find(team);
            if (row.isEmpty()) return new Untouched();
            long teamId = row.get().id();
            teams.lock(teamId);
            var held = Optional.ofNullable(teams.heldBy(userId).get(team));
            if (held.isPresent() && !held.get().byRule()) return new Untouched();
            var previous = held.map(HeldMembership::role);
            boolean losesAdmin = previous.filter(r -> r == Role.ADMIN).isPresent() && role.filter(r -> r == Role.ADMIN).isEmpty();
            if (losesAdmin && teams.countAdmins(teamId) == 1) return new KeptLastAdmin();
            boolean done = role.isPresent() ? teams.upsertRuleMember(teamId, userId, role.get()) : teams.removeRuleMember(teamId, userId);
            return done ? new Changed(previous) : new Untouched();
        });
    }
}
