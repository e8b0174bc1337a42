package dev.berth.platform.domains;

import dev.berth.platform.access.AccessPolicy;
import dev.berth.platform.access.Caller;
import dev.berth.platform.access.Permission;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.teams.TeamLookup;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads and replaces the host names a team may claim. Members of the team see them; only platform
 * admins change them, since a host name is the platform's to hand out. A pattern that overlaps one
 * another team holds is refused naming that team. A change commits first and is then audited with
 * the list before and after.
 */
@Service
public class TeamDomainService {
    private final TeamDomainStore store;
    private final TeamLookup teams;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final AppsDomain apps;

    public TeamDomainService(TeamDomainStore store, TeamLookup teams, AuditLog audit, TransactionTemplate tx, Clock clock,
                             AppsDomain apps) {
        this.apps = apps;
        this.store = store;
        this.teams = teams;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    public TeamDomains get(Caller caller, String team) {
        AccessPolicy.require(caller, Permission.VIEW_DOMAINS, team);
        return new TeamDomains(team, store.domains(teams.idOf(team)));
    }

    /**
     * Replaces the team's list with {@code patterns}; patterns it already held keep who added them and when.
     *
     * @throws Problem.Invalid naming the first entry that is wrong
     * @throws Problem.Conflict naming the entry another team's pattern overlaps, and that team
     */
    public TeamDomains replace(Caller caller, String team, List<String> patterns, RequestOrigin origin) {
        // Those who may not see the team hear that it does not exist; members hear who may change it.
        AccessPolicy.require(caller, Permission.VIEW_DOMAINS, team);
        AccessPolicy.require(caller, Permission.MANAGE_DOMAINS, team);
        long teamId = teams.idOf(team);
        List<DomainPattern> wanted = DomainPattern.parseAll(patterns);
        for (int i = 0; i < wanted.size(); i++) {
            String problem = apps.patternProblem(wanted.get(i));
            if (problem != null) throw new Problem.Invalid("domains[" + i + "] '" + wanted.get(i).text() + "' " + problem);
        }
        // The database keeps microseconds; the answer says what a later read will say.
        var now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        record Change(List<TeamDomain> before, List<TeamDomain> after) {
        }
        Change change = tx.execute(s -> {
            store.lockAll();
            refuseOverlaps(wanted, store.heldByOthers(teamId));
            var previous = store.domains(teamId);
            Map<String, TeamDomain> kept = previous.stream().collect(Collectors.toMap(TeamDomain::pattern, Function.identity()));
            var after = wanted.stream()
                    .map(p -> kept.getOrDefault(p.text(), new TeamDomain(p.text(), caller.username(), now))).toList();
            store.replace(teamId, after);
            return new Change(previous, after);
        });
        List<String> before = change.before().stream().map(TeamDomain::pattern).toList();
        List<String> after = change.after().stream().map(TeamDomain::pattern).toList();
        audit.record(AuditEvent.of(caller, "team.domains.replace", "team:" + team).team(team)
                .source(origin.address(), origin.userAgent())
                .detail("before", String.join(",", before))
                .detail("after", String.join(",", after))
                .detail("added", String.join(",", after.stream().filter(p -> !before.contains(p)).toList()))
                .detail("removed", String.join(",", before.stream().filter(p -> !after.contains(p)).toList())));
        return new TeamDomains(team, change.after());
    }

    private static void refuseOverlaps(List<DomainPattern> wanted, List<TeamDomainStore.Held> others) {
        for (int i = 0; i < wanted.size(); i++) {
            var mine = wanted.get(i);
            for (var held : others) {
                if (mine.overlaps(DomainPattern.parse(held.pattern()))) {
                    throw new Problem.Conflict("domains[" + i + "] '" + mine.text() + "' overlaps '" + held.pattern()
                            + "', which team " + held.team() + " holds; a host belongs to one team");
                }
            }
        }
    }
}
