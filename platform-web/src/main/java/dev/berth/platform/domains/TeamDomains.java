package dev.berth.platform.domains;

import java.util.List;

/**
 * The host names a team's apps may claim, as the API shows them.
 *
 * @param team    the team
 * @param domains its patterns in the order an admin gave them; empty when it holds none
 */
public record TeamDomains(String team, List<TeamDomain> domains) {
    public TeamDomains {
        domains = List.copyOf(domains);
    }
}
