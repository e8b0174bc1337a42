package dev.berth.platform.sso;

import dev.berth.platform.access.Role;
import dev.berth.platform.teams.HeldMembership;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a sign-in changes in the user's memberships, worked out from the rules and the groups the
 * provider sent, without I/O. Rule-granted memberships become what the rules say now: added, their
 * role changed, removed when no rule grants them any more. A membership a person granted is never
 * in the plan. Several rules for one team give the highest of their roles.
 */
public final class MembershipPlan {
    private MembershipPlan() {
    }

    /** One change, with the groups behind it (none for a removal). */
    public sealed interface Change permits Grant, Regrade, Revoke {
        String team();
    }

    public record Grant(String team, Role role, Set<String> groups) implements Change {
    }

    public record Regrade(String team, Role from, Role to, Set<String> groups) implements Change {
    }

    public record Revoke(String team, Role role) implements Change {
    }

    /** The changes, in team order. */
    public static List<Change> of(Collection<GroupRule> rules, Set<String> groups, Map<String, HeldMembership> held) {
        var wanted = new TreeMap<String, Role>();
        var because = new TreeMap<String, Set<String>>();
        for (GroupRule rule : rules) {
            if (!groups.contains(rule.group())) continue;
            wanted.merge(rule.team(), rule.role(), (a, b) -> a.atLeast(b) ? a : b);
            because.computeIfAbsent(rule.team(), t -> new TreeSet<>()).add(rule.group());
        }
        var changes = new ArrayList<Change>();
        var teams = new TreeSet<String>(wanted.keySet());
        held.forEach((team, membership) -> {
            if (membership.byRule()) teams.add(team);
        });
        for (String team : teams) {
            Optional<HeldMembership> now = Optional.ofNullable(held.get(team));
            if (now.isPresent() && !now.get().byRule()) continue;
            Role want = wanted.get(team);
            if (want == null) {
                changes.add(new Revoke(team, now.orElseThrow().role()));
            } else if (now.isEmpty()) {
                changes.add(new Grant(team, want, because.get(team)));
            } else if (now.get().role() != want) {
                changes.add(new Regrade(team, now.get().role(), want, because.get(team)));
            }
        }
        return changes;
    }
}
