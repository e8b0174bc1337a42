package dev.berth.platform.deployments;

import dev.berth.deployer.Plan;
import dev.berth.deployer.Step;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One reconcile round, in three parts: {@link RoundSnapshotLoader#load() load} what should run (each
 * app's newest deployment), what runs (the replica rows, whose observed states heartbeats keep
 * current) and the hosts, in a fixed number of queries; {@link RoundDecider#decide decide}, purely,
 * what the round does, asking the pure {@link dev.berth.deployer.Planner}; {@link RoundApplier#apply
 * apply} it. The round is one transaction holding a PostgreSQL advisory lock, so two platform
 * instances never apply a round at once, and a step is dispatched once.
 *
 * <p>How each step lands:
 * <ul>
 *   <li>{@link Step.Start}: a replica row for its host, whose generation moves so its agent picks it up.
 *       A blue-green rollout's replicas started beside another revision's are held out of traffic
 *       ({@code serving} false: they run and are health-checked, but take no connections).</li>
 *   <li>{@link Step.Stop}: the row is marked stopped with the reason, which takes it out of its host's
 *       assignment (the agent stops and removes it); that host's generation moves.</li>
 *   <li>{@link Step.SwitchTraffic}: the revision's replicas are let into traffic in the same
 *       transaction, and the same generation of each host, as the {@link Step.Stop}s of the old ones
 *       that follow it, so every agent switches its published ports from old to new in one step.
 *       The switch is noted on the deployment. (See {@link Traffic}.)</li>
 *   <li>{@link Step.Failed}: the deployment fails; with {@code autoRollback} an auto-rollback
 *       deployment of the app's last succeeded revision follows, audited.</li>
 *   <li>{@link Step.Wait}, {@link Step.Unplaceable}: the in-progress deployment's message.</li>
 * </ul>
 * A deployment whose revision runs all its replicas healthy, with nothing else of the app left,
 * has succeeded. A deployment whose app references a secret that is not set starts nothing: the
 * app keeps running its last succeeded revision, and the deployment says which secret to set.
 *
 * <p>Hosts whose heartbeats stopped for longer than {@code berth.hosts.heartbeat-timeout} are
 * audited as lost once ({@code host.lost}), and as returned when they report again; the planner
 * replaces their replicas elsewhere. It also moves replicas off draining hosts, and replaces those
 * of removed hosts, which it no longer lists.
 */
@Service
public class Reconciler {
    private static final System.Logger LOG = System.getLogger(Reconciler.class.getName());

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final RoundSnapshotLoader snapshots;
    private final RoundApplier applier;
    private final EffectsFactory effects;
    /** Apps left as they are, logged once rather than every round. */
    private final Set<String> frozenLogged = ConcurrentHashMap.newKeySet();

    Reconciler(JdbcClient jdbc, TransactionTemplate tx, Clock clock, RoundSnapshotLoader snapshots, RoundApplier applier,
               EffectsFactory effects) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.snapshots = snapshots;
        this.applier = applier;
        this.effects = effects;
    }

    /** How a round went. */
    public sealed interface Outcome {
    }

    /** The round ran and applied {@code plan}. */
    public record Ran(Plan plan) implements Outcome {
    }

    /** Another round (of this or another platform instance) held the lock; this one did nothing. */
    public record Skipped() implements Outcome {
    }

    /** Runs one round, unless another is running; what it sets off is published once it committed. */
    public Outcome runOnce() {
        var fx = effects.open();
        Outcome outcome = tx.execute(s -> {
            boolean locked = jdbc.sql("SELECT pg_try_advisory_xact_lock(?, 0)").param(Locks.RECONCILER)
                    .query(Boolean.class).single();
            if (!locked) return new Skipped();
            var now = clock.instant();
            var decision = RoundDecider.decide(snapshots.load(), now);
            logFrozen(decision);
            applier.apply(decision, fx);
            return new Ran(decision.plan());
        });
        if (outcome instanceof Ran) fx.publish();
        return outcome;
    }

    private void logFrozen(RoundDecision decision) {
        decision.frozen().forEach((app, why) -> {
            if (frozenLogged.add(app)) LOG.log(System.Logger.Level.ERROR, "app " + app + " is left as it is: " + why);
        });
        frozenLogged.retainAll(decision.frozen().keySet());
    }
}
