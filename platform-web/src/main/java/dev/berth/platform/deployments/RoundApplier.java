package dev.berth.platform.deployments;

import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.hosts.HostRecords;
import dev.berth.platform.notifications.NotificationOutbox;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import org.springframework.stereotype.Component;

/**
 * Carries out a {@link RoundDecision}: the only writer of a reconcile round, inside its transaction
 * and under the reconciler's advisory lock. Writes whose outcome depends on what committed meanwhile
 * (a host already marked lost, a deployment already ended, a push newer than a failed deployment)
 * are conditional, and only what they changed is audited and announced.
 *
 * <p>Lock order: host rows first, in id order, as a heartbeat locks its host before its replicas and
 * a secret change its hosts in id order; an app's lock before its deployment rows, in the order
 * pushes and rollbacks take them. No lock cycle.
 */
@Component
class RoundApplier {
    private final HostRecords hosts;
    private final ReplicaStore replicas;
    private final DeploymentStore deployments;
    private final DeploymentLifecycle lifecycle;
    private final NotificationOutbox notifications;

    RoundApplier(HostRecords hosts, ReplicaStore replicas, DeploymentStore deployments, DeploymentLifecycle lifecycle,
                 NotificationOutbox notifications) {
        this.hosts = hosts;
        this.replicas = replicas;
        this.deployments = deployments;
        this.lifecycle = lifecycle;
        this.notifications = notifications;
    }

    void apply(RoundDecision decision, Effects fx) {
        var now = decision.now();
        // A round that notices no host lost or back moves every generation in one statement (a
        // rollout of a thousand apps moves most hosts'); one that does keeps to one host at a time,
        // its standing then its generation, so the row locks stay in id order.
        if (decision.hosts().stream().allMatch(h -> h.standing() == null)) {
            hosts.bumpGenerations(decision.hosts().stream().filter(RoundDecision.HostChange::bump)
                    .map(RoundDecision.HostChange::hostId).toList());
        } else {
            applyOneByOne(decision, fx);
        }
        if (decision.wake()) fx.wake();

        // Stops and starts in a statement each, however many (a rollout of a thousand apps is a thousand
        // of each); then the failures, which lock their apps.
        var starts = new ArrayList<RoundDecision.StartReplica>();
        var stops = new ArrayList<RoundDecision.StopReplica>();
        var failures = new ArrayList<RoundDecision.FailDeployment>();
        for (var write : decision.writes()) {
            switch (write) {
                case RoundDecision.StartReplica s -> {
                    starts.add(s);
                    fx.changed(s.team(), s.app());
                }
                case RoundDecision.StopReplica s -> {
                    stops.add(s);
                    if (s.replica() != null) fx.changed(s.replica().team(), s.replica().app());
                }
                case RoundDecision.FailDeployment f -> failures.add(f);
            }
        }
        replicas.requestStops(stops, now);
        replicas.insertAll(starts, now);
        failures.forEach(f -> fail(f, decision, fx));
        // Stopped replicas may let the next round settle the deployment or take the rollout's next
        // step; no heartbeat will ask for it (stopped replicas are no longer watched), so ask now
        // rather than leave it to the tick. Starts need none: the agent's reports of them ask.
        if (!stops.isEmpty()) fx.reconcile();
        replicas.serve(decision.letIn().stream().map(ReplicaRow::id).toList());
        decision.letIn().forEach(r -> fx.changed(r.team(), r.app()));

        // Messages that changed since the snapshot, written in one statement: a round with thousands of
        // rollouts in progress would otherwise pay a statement per deployment, every round.
        // So are the deployments that succeed: the round where a thousand rollouts finish ends them all.
        var progress = new LinkedHashMap<Long, DeploymentStore.Row>();
        var messages = new LinkedHashMap<Long, String>();
        var succeeded = new ArrayList<RoundDecision.Succeed>();
        for (var settlement : decision.settlements()) {
            var d = settlement.deployment();
            switch (settlement) {
                case RoundDecision.Succeed s -> succeeded.add(s);
                case RoundDecision.Progress p when !p.message().equals(d.deployment().message()) -> {
                    progress.put(d.id(), d);
                    messages.put(d.id(), p.message());
                }
                case RoundDecision.Progress p -> { }
            }
        }
        lifecycle.succeedAll(succeeded, now, fx);
        for (long id : deployments.progress(messages)) fx.changed(progress.get(id).deployment().team(), progress.get(id).app());
    }

    /** Hosts in id order: each one's standing, then its generation. */
    private void applyOneByOne(RoundDecision decision, Effects fx) {
        var now = decision.now();
        for (var h : decision.hosts()) {
            switch (h.standing()) {
                case RoundDecision.Standing.Lost lost when hosts.markLost(h.hostId(), now) -> {
                    fx.audit(AuditEvent.of(AuditEvent.Actor.system(), "host.lost", "host:" + h.hostId())
                            .detail("hostname", lost.hostname()).detail("lastHeartbeatAt", lost.lastHeartbeatAt())
                            .detail("heartbeatTimeout", lost.heartbeatTimeout())
                            .detail("replicas", String.join(",", lost.replicas().stream().map(ReplicaRow::id).toList())));
                    lost.replicas().forEach(r -> fx.changed(r.team(), r.app()));
                    // In the round's transaction, to each team that had replicas there.
                    notifications.tell(DeploymentNotices.hostLost(h.hostId(), lost, now));
                }
                case RoundDecision.Standing.Returned returned when hosts.markReturned(h.hostId()) ->
                        fx.audit(AuditEvent.of(AuditEvent.Actor.system(), "host.returned", "host:" + h.hostId())
                                .detail("hostname", returned.hostname()).detail("lostAt", returned.lostAt()));
                case null, default -> { }
            }
            if (h.bump()) hosts.bumpGeneration(h.hostId());
        }
    }

    /** Fails the deployment, and rolls back when the app asks for it and nothing newer came meanwhile. */
    private void fail(RoundDecision.FailDeployment f, RoundDecision decision, Effects fx) {
        var d = f.deployment();
        String team = d.deployment().team();
        // The app's lock before its deployment rows, in the order pushes and rollbacks take them.
        deployments.lockApp(d.teamId(), d.app());
        if (!lifecycle.finish(d, new DeploymentLifecycle.Ending.Failed(f.reason()), decision.now(), fx)) return;
        if (!f.autoRollback()) return;
        // A push that committed meanwhile wins over rolling back (and has superseded this one already).
        if (deployments.newest(d.teamId(), d.app()).map(n -> n.id() != d.id()).orElse(true)) return;
        var good = f.rollbackTo();
        if (good == null) {
            deployments.note(d.id(), "no earlier revision of the app succeeded, so there is none to roll back to");
            return;
        }
        String why = "revision " + d.revision() + " failed: " + f.reason();
        var opening = new DeploymentLifecycle.Opening(d.teamId(), team, d.app(), good.revision(), Deployment.Kind.AUTO_ROLLBACK,
                "system", why, decision.now());
        long id = lifecycle.start(opening, (created, superseded) -> AuditEvent.of(AuditEvent.Actor.system(),
                        "deployment.auto-rollback", "app:" + team + "/" + d.app())
                .team(team).detail("deployment", created).detail("failed", d.id()).detail("from", d.revision())
                .detail("revision", good.revision()).detail("reason", why), fx);
        deployments.note(d.id(), "rolled back to revision " + good.revision() + " by deployment " + id);
        fx.reconcile();
    }
}
