package dev.berth.platform.apps;

import dev.berth.platform.deployments.Deployment;
import java.util.List;

/**
 * One app in a team's list.
 *
 * @param name the app
 * @param revision the revision it should run (its newest deployment's)
 * @param commit that revision's commit
 * @param healthy replicas of {@code revision} that run healthy
 * @param desired replicas the revision asks for (0 once the app was removed)
 * @param hosts names of the hosts its replicas are assigned to
 * @param lastDeployment its newest deployment
 */
public record AppSummary(String name, long revision, String commit, int healthy, int desired, List<String> hosts,
                         Deployment lastDeployment) {
    public AppSummary {
        hosts = List.copyOf(hosts);
    }
}
