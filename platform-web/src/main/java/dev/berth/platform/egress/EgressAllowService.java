package dev.berth.platform.egress;

import dev.berth.platform.access.AccessPolicy;
import dev.berth.platform.access.Caller;
import dev.berth.platform.access.Permission;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.teams.TeamLookup;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads and replaces a team's allowed private ranges. Members of the team see them; only platform
 * admins change them, since a range opens the platform's networks to the team's code. A change
 * commits first and is then audited with the list before and after.
 */
@Service
public class EgressAllowService {
    private final EgressAllowStore store;
    private final TeamLookup teams;
    private final AuditLog audit;
    private final TransactionTemplate tx;

    public EgressAllowService(EgressAllowStore store, TeamLookup teams, AuditLog audit, TransactionTemplate tx) {
        this.store = store;
        this.teams = teams;
        this.audit = audit;
        this.tx = tx;
    }

    public EgressAllowList get(Caller caller, String team) {
        AccessPolicy.require(caller, Permission.VIEW_EGRESS_ALLOW, team);
        return new EgressAllowList(team, store.ranges(teams.idOf(team)));
    }

    /**
     * Replaces the team's list with {@code ranges}.
     *
     * @throws dev.berth.platform.problem.Problem.Invalid naming the first entry that is wrong
     */
    public EgressAllowList replace(Caller caller, String team, List<String> ranges, RequestOrigin origin) {
        // Those who may not see the team hear that it does not exist; members hear who may change it.
        AccessPolicy.require(caller, Permission.VIEW_EGRESS_ALLOW, team);
        AccessPolicy.require(caller, Permission.MANAGE_EGRESS_ALLOW, team);
        long teamId = teams.idOf(team);
        List<String> after = EgressRanges.parse(ranges).stream().map(EgressRanges::text).toList();
        List<String> before = tx.execute(s -> {
            store.lockTeam(teamId);
            var previous = store.ranges(teamId);
            store.replace(teamId, after);
            return previous;
        });
        audit.record(AuditEvent.of(caller, "team.egress-allow.replace", "team:" + team).team(team)
                .source(origin.address(), origin.userAgent())
                .detail("before", String.join(",", before))
                .detail("after", String.join(",", after)));
        return new EgressAllowList(team, after);
    }
}
