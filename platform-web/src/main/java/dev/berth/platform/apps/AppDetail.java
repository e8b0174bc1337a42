package dev.berth.platform.apps;

import dev.berth.platform.deployments.Deployment;
import java.util.List;

/**
 * One app: what should run, what runs, and the differences in sentences.
 *
 * @param team the app's team
 * @param name the app
 * @param revision the revision it should run
 * @param commit that revision's commit
 * @param desired replicas that revision asks for
 * @param deployment the newest deployment, with its state and message
 * @param replicas every replica assigned now
 * @param missingSecrets secrets the revision references that are not set
 * @param differences desired versus live, one sentence each; empty when they agree
 * @param routes the revision's routes (and its default host) with their certificates; empty for none
 */
public record AppDetail(String team, String name, long revision, String commit, int desired, Deployment deployment,
                        List<ReplicaView> replicas, List<String> missingSecrets, List<String> differences, List<AppRoute> routes) {
    public AppDetail {
        routes = List.copyOf(routes);
        replicas = List.copyOf(replicas);
        missingSecrets = List.copyOf(missingSecrets);
        differences = List.copyOf(differences);
    }
}
