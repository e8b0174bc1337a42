package dev.berth.platform.deployments;

import dev.berth.platform.hosts.HeartbeatRecorded;
import dev.berth.platform.hosts.HostRecords;
import dev.berth.platform.secrets.SecretChanged;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps replicas in step with what hosts report and hand out: a heartbeat moves the observed state
 * of the host's replicas (and asks for a reconcile round when one moved); a secret that changed
 * moves the generation of every host running the app, so their agents get the new value.
 */
@Component
public class ReplicaObserver {
    private final ReplicaStore replicas;
    private final HostRecords hosts;
    private final EffectsFactory effects;

    ReplicaObserver(ReplicaStore replicas, HostRecords hosts, EffectsFactory effects) {
        this.replicas = replicas;
        this.hosts = hosts;
        this.effects = effects;
    }

    /** Runs inside the heartbeat's transaction. */
    @EventListener
    public void onHeartbeat(HeartbeatRecorded heartbeat) {
        var fx = effects.open();
        var assigned = replicas.liveOn(heartbeat.hostId());
        var byId = assigned.stream().collect(Collectors.toMap(ReplicaRow::id, Function.identity()));
        for (var change : ObservedReplicas.changes(assigned, heartbeat.containers(), heartbeat.at())) {
            var r = byId.get(change.replicaId());
            if (change.firstReport()) replicas.firstReported(r.id(), heartbeat.at());
            if (change.startError() != null) replicas.startFailed(r.id(), change.startError(), heartbeat.at());
            if (change.state() != r.state()) {
                replicas.observe(r.id(), change.state(), change.since());
                fx.reconcile();
            }
            fx.changed(r.team(), r.app());
        }
        fx.afterCommit();
    }

    /** Runs inside the transaction that set or deleted the secret. */
    @EventListener
    public void onSecretChanged(SecretChanged changed) {
        var fx = effects.open();
        // In id order, as the reconciler locks host rows.
        for (String host : replicas.hostsOf(changed.teamId(), changed.app())) {
            hosts.bumpGeneration(host);
            fx.wake();
        }
        // A deployment waiting for this secret may start now.
        fx.reconcile();
        fx.changed(changed.team(), changed.app());
        fx.afterCommit();
    }
}
