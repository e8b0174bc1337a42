package dev.berth.platform.deployments;

import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * What other features read of apps' deployments and replicas, without their stores: a team's
 * apps, one app's timeline and replicas, a replica that failed to start. Read-only.
 */
@Service
public class AppDeployments {
    private final DeploymentStore deployments;
    private final ReplicaStore replicas;

    AppDeployments(DeploymentStore deployments, ReplicaStore replicas) {
        this.deployments = deployments;
        this.replicas = replicas;
    }

    /** The newest deployment of every app of the team, by app. */
    public List<Deployment> newestOfTeam(long teamId) {
        return deployments.newestOfTeam(teamId).stream().map(DeploymentStore.Row::deployment).toList();
    }

    /** The app's newest deployment: the one that says what it should run. */
    public Optional<Deployment> newest(long teamId, String app) {
        return deployments.newest(teamId, app).map(DeploymentStore.Row::deployment);
    }

    /** The app's deployments, newest first, at most {@code limit}. */
    public List<Deployment> timeline(long teamId, String app, int limit) {
        return deployments.timeline(teamId, app, limit).stream().map(DeploymentStore.Row::deployment).toList();
    }

    /** Every replica that is part of its host's assignment, of every team. */
    public List<ReplicaRow> live() {
        return replicas.live();
    }

    /** The team's replicas that are part of an assignment, by app. */
    public List<ReplicaRow> liveOfTeam(long teamId) {
        return replicas.liveOfTeam(teamId);
    }

    /** The app's replicas that are part of an assignment. */
    public List<ReplicaRow> liveOf(long teamId, String app) {
        return replicas.liveOf(teamId, app);
    }

    /** One replica of the app, stopped or not. */
    public Optional<ReplicaRow> replica(long teamId, String app, String id) {
        return replicas.find(teamId, app, id);
    }

    /** The replica of the app's revision whose start failed last, stopped ones included. */
    public Optional<ReplicaRow> lastFailedStart(long teamId, String app, long revision) {
        return replicas.lastFailedStart(teamId, app, revision);
    }
}
