package dev.berth.platform.teams;

import dev.berth.platform.access.Role;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.access.AccessPolicy;
import dev.berth.platform.access.Caller;
import dev.berth.platform.access.Permission;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.users.UserAccount;
import dev.berth.platform.users.UserAccounts;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Teams and their members. Each change commits first and is then audited, so the log never
 * records something that was rolled back.
 */
@Service
public class TeamService {
    private static final Pattern TEAM_NAME = Pattern.compile("[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

    private final TeamStore teams;
    private final UserAccounts users;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    public TeamService(TeamStore teams, UserAccounts users, AuditLog audit, TransactionTemplate tx, Clock clock) {
        this.teams = teams;
        this.users = users;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    /** Teams the caller can see: all for platform admins, otherwise their memberships. */
    public List<Team> list(Caller caller) {
        return teams.all().stream()
                .filter(t -> caller.platformAdmin() || caller.roleIn(t.name()).isPresent())
                .map(t -> new Team(t.name(), t.createdAt(), t.members(), caller.roleIn(t.name()).orElse(null)))
                .toList();
    }

    public Team get(Caller caller, String team) {
        AccessPolicy.require(caller, Permission.VIEW_TEAM, team);
        var row = existing(team);
        return new Team(row.name(), row.createdAt(), row.members(), caller.roleIn(team).orElse(null));
    }

    /** Creates a team; the creator becomes its first ADMIN. */
    public Team create(Caller caller, String name, RequestOrigin origin) {
        AccessPolicy.require(caller, Permission.CREATE_TEAM);
        if (name == null || !TEAM_NAME.matcher(name).matches()) {
            throw new Problem.Invalid("team name '" + name + "' is not valid: use a DNS label (1-63 lowercase"
                    + " letters, digits or '-', starting with a letter, not ending with '-')");
        }
        var now = clock.instant();
        tx.executeWithoutResult(s -> {
            long id = teams.insert(name, now).orElseThrow(() -> new Problem.Conflict("team '" + name + "' already exists"));
            teams.upsertMember(id, caller.userId(), Role.ADMIN);
        });
        audit.record(AuditEvent.of(caller, "team.create", "team:" + name).team(name)
                .source(origin.address(), origin.userAgent()));
        return new Team(name, now, 1, Role.ADMIN);
    }

    public List<Member> members(Caller caller, String team) {
        AccessPolicy.require(caller, Permission.VIEW_MEMBERS, team);
        return teams.members(existing(team).id());
    }

    public Member member(Caller caller, String team, String username) {
        return members(caller, team).stream().filter(m -> m.username().equals(username)).findFirst()
                .orElseThrow(() -> new Problem.NotFound("'" + username + "' is not a member of team '" + team + "'"));
    }

    /** Adds a member or changes their role. */
    public Member setMember(Caller caller, String team, String username, Role role, RequestOrigin origin) {
        AccessPolicy.require(caller, Permission.MANAGE_MEMBERS, team);
        if (role == null) throw new Problem.Invalid("a role is required: use one of VIEWER, DEPLOYER, ADMIN");
        var previous = tx.execute(s -> {
            var row = existing(team);
            teams.lock(row.id());
            UserAccount user = users.find(username)
                    .orElseThrow(() -> new Problem.NotFound("user '" + username + "' not found"));
            var before = teams.roleOf(row.id(), user.id());
            if (before.filter(r -> r == Role.ADMIN).isPresent() && role != Role.ADMIN && teams.countAdmins(row.id()) == 1) {
                throw new Problem.Conflict("'" + username + "' is the last ADMIN of team '" + team
                        + "'; make someone else ADMIN first");
            }
            teams.upsertMember(row.id(), user.id(), role);
            return before;
        });
        String action = previous.isEmpty() ? "team.member.add" : "team.member.role";
        audit.record(AuditEvent.of(caller, action, "user:" + username).team(team)
                .source(origin.address(), origin.userAgent())
                .detail("role", role)
                .detail("previousRole", previous.map(Enum::name).orElse(null)));
        return new Member(username, role);
    }

    public void removeMember(Caller caller, String team, String username, RequestOrigin origin) {
        AccessPolicy.require(caller, Permission.MANAGE_MEMBERS, team);
        var previous = tx.execute(s -> {
            var row = existing(team);
            teams.lock(row.id());
            UserAccount user = users.find(username)
                    .orElseThrow(() -> new Problem.NotFound("user '" + username + "' not found"));
            var before = teams.roleOf(row.id(), user.id())
                    .orElseThrow(() -> new Problem.NotFound("'" + username + "' is not a member of team '" + team + "'"));
            if (before == Role.ADMIN && teams.countAdmins(row.id()) == 1) {
                throw new Problem.Conflict("'" + username + "' is the last ADMIN of team '" + team
                        + "'; make someone else ADMIN first");
            }
            teams.removeMember(row.id(), user.id());
            return before;
        });
        audit.record(AuditEvent.of(caller, "team.member.remove", "user:" + username).team(team)
                .source(origin.address(), origin.userAgent())
                .detail("previousRole", previous));
    }

    private TeamStore.Row existing(String team) {
        return teams.find(team).orElseThrow(() -> new Problem.NotFound("team '" + team + "' not found"));
    }
}
