package dev.berth.platform.teams;

import dev.berth.platform.access.Role;
import dev.berth.platform.problem.Problem;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * What other features read of teams without access checks: a team's id by name (to store rows
 * under it) and a user's memberships (to know what a caller may do). Teams change only through
 * {@link TeamService}.
 */
@Service
public class TeamLookup {
    private final TeamStore store;

    TeamLookup(TeamStore store) {
        this.store = store;
    }

    /** The team's id; a {@link Problem.NotFound} if there is no such team. */
    public long idOf(String team) {
        return store.find(team).orElseThrow(() -> new Problem.NotFound("team '" + team + "' not found")).id();
    }

    /** Every team the user belongs to, with the role. */
    public Map<String, Role> membershipsOf(long userId) {
        return store.membershipsOf(userId);
    }
}
