package dev.berth.platform.deployments;

import dev.berth.platform.hosts.HeartbeatRecorded;
import dev.berth.platform.hosts.HostRecords;
import dev.berth.platform.hosts.PeerAddressChanged;
import dev.berth.platform.secrets.SecretChanged;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps replicas in step with what hosts report and hand out: a heartbeat moves the observed state
 * of the host's replicas (and asks for a reconcile round when one moved); a secret that changed
 * moves the generation of every host running the app, so their agents get the new value; a host's
 * new peer address moves the generation of the hosts whose apps connect to its replicas.
 */
@Component
public class ReplicaObserver {
    private final ReplicaStore replicas;
    private final HostRecords hosts;
    private final EffectsFactory effects;
    private final AppRevisions revisions;
    private final TransactionTemplate separately;

    ReplicaObserver(ReplicaStore replicas, HostRecords hosts, EffectsFactory effects, AppRevisions revisions,
                    PlatformTransactionManager transactions) {
        this.replicas = replicas;
        this.hosts = hosts;
        this.effects = effects;
        this.revisions = revisions;
        this.separately = new TransactionTemplate(transactions);
        separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
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

    /**
     * Runs once the heartbeat that changed the host's peer address committed, in a transaction of
     * its own: the hosts whose apps connect to an app with a replica on that host get the new
     * address. Not inside the heartbeat's transaction, which holds its host's row while these lock
     * others in id order.
     */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    public void onPeerAddressChanged(PeerAddressChanged changed) {
        var fx = effects.open();
        separately.executeWithoutResult(s -> {
            var live = replicas.live();
            var keys = live.stream().map(r -> new AppRevisions.Key(r.revision(), r.app())).toList();
            var found = revisions.findAll(keys).found();
            var lines = live.stream().map(r -> Connects.Line.of(r,
                    Optional.ofNullable(found.get(new AppRevisions.Key(r.revision(), r.app()))).map(AppRevision::definition))).toList();
            var producers = new TreeSet<String>();
            live.stream().filter(r -> r.hostId().equals(changed.hostId())).forEach(r -> producers.add(r.qualifiedApp()));
            for (String host : Connects.consumersOf(producers, lines)) {
                hosts.bumpGeneration(host);
                fx.wake();
            }
        });
        // Committed: the transaction above has ended, so nothing waits for another commit.
        fx.publish();
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
