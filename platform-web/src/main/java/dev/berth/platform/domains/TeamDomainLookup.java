package dev.berth.platform.domains;

import java.util.List;
import org.springframework.stereotype.Service;

/**
 * What other features read of a team's host name patterns, without access checks: the review of a
 * pushed berth.yaml's routes. The list changes only through {@link TeamDomainService}.
 */
@Service
public class TeamDomainLookup {
    private final TeamDomainStore store;

    TeamDomainLookup(TeamDomainStore store) {
        this.store = store;
    }

    /** The team's patterns in the order an admin gave them; empty when it holds none. */
    public List<DomainPattern> patternsOf(long teamId) {
        return store.domains(teamId).stream().map(d -> DomainPattern.parse(d.pattern())).toList();
    }
}
