package dev.berth.platform.sso;

import dev.berth.platform.access.AccessPolicy;
import dev.berth.platform.access.Caller;
import dev.berth.platform.access.Permission;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.access.Role;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.teams.TeamLookup;
import java.time.Clock;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * The group rules platform admins keep: members of a provider group get a role in a team. A rule
 * change takes effect at each user's next sign-in, when their rule-granted memberships are set to
 * what the rules then say. Each change commits first and is then audited.
 */
@Service
public class GroupRules {
    static final int MAX_GROUP_LENGTH = 256;

    private final GroupRuleStore store;
    private final TeamLookup teams;
    private final AuditLog audit;
    private final Clock clock;

    public GroupRules(GroupRuleStore store, TeamLookup teams, AuditLog audit, Clock clock) {
        this.store = store;
        this.teams = teams;
        this.audit = audit;
        this.clock = clock;
    }

    public List<GroupRule> list(Caller caller) {
        AccessPolicy.require(caller, Permission.MANAGE_SSO_RULES);
        return store.all();
    }

    /** Every rule, for a sign-in (no access check: the rules apply to whoever signs in). */
    List<GroupRule> all() {
        return store.all();
    }

    public GroupRule create(Caller caller, String group, String team, String role, RequestOrigin origin) {
        AccessPolicy.require(caller, Permission.MANAGE_SSO_RULES);
        String g = validGroup(group);
        if (team == null || team.isBlank()) throw new Problem.Invalid("team: a team is required");
        Role r = role == null || role.isBlank() ? invalidRole(role) : Role.parse(role);
        long teamId;
        try {
            teamId = teams.idOf(team);
        } catch (Problem.NotFound e) {
            throw new Problem.Invalid("team: there is no team '" + team + "'");
        }
        long id = store.insert(g, teamId, r, caller.username(), clock.instant())
                .orElseThrow(() -> new Problem.Conflict("group '" + g + "' already has a rule for team '" + team
                        + "'; delete it first to change the role"));
        audit.record(AuditEvent.of(caller, "sso.rule.create", "sso-rule:" + id).team(team)
                .source(origin.address(), origin.userAgent())
                .detail("group", g).detail("role", r));
        return store.find(id).orElseThrow();
    }

    public void delete(Caller caller, long id, RequestOrigin origin) {
        AccessPolicy.require(caller, Permission.MANAGE_SSO_RULES);
        var rule = store.find(id).orElseThrow(() -> new Problem.NotFound("group rule " + id + " not found"));
        if (!store.delete(id)) throw new Problem.NotFound("group rule " + id + " not found");
        audit.record(AuditEvent.of(caller, "sso.rule.delete", "sso-rule:" + id).team(rule.team())
                .source(origin.address(), origin.userAgent())
                .detail("group", rule.group()).detail("role", rule.role()));
    }

    private static Role invalidRole(String role) {
        throw new Problem.Invalid("role: a role is required: use one of VIEWER, DEPLOYER, ADMIN");
    }

    static String validGroup(String group) {
        if (group == null || group.isBlank()) throw new Problem.Invalid("group: the group name is empty");
        String g = group.strip();
        if (g.length() > MAX_GROUP_LENGTH) {
            throw new Problem.Invalid("group: the group name has " + g.length() + " characters; at most " + MAX_GROUP_LENGTH);
        }
        if (g.chars().anyMatch(Character::isISOControl)) throw new Problem.Invalid("group: the group name has control characters");
        return g;
    }
}
