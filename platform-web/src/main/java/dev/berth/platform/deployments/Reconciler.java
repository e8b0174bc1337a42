package dev.berth.platform.deployments;

import dev.berth.deployer.Desired;
import dev.berth.deployer.Host;
import dev.berth.deployer.Plan;
import dev.berth.deployer.Planner;
import dev.berth.deployer.Replica;
import dev.berth.deployer.Resources;
import dev.berth.deployer.Step;
import dev.berth.deployer.Strategy;
import dev.berth.gitsync.definition.Deploy;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.hosts.HostProperties;
import dev.berth.platform.hosts.HostStore;
import dev.berth.platform.secrets.AppSecrets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One reconcile round: load what should run (each app's newest deployment), what runs (the replica
 * rows, whose observed states heartbeats keep current) and the hosts; ask the pure
 * {@link Planner}; apply its steps. The round is one transaction holding a PostgreSQL advisory
 * lock, so two platform instances never apply a round at once, and a step is dispatched once.
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
    private final java.time.Clock clock;
    private final HostProperties hostProperties;
    private final HostStore hosts;
    private final DeploymentStore deployments;
    private final ReplicaStore replicas;
    private final AppRevisions revisions;
    private final AppSecrets secrets;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final AssignmentSignals signals;
    private final ReconcileTrigger trigger;
    /** Apps left as they are, logged once rather than every round. */
    private final Set<String> frozenLogged = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public Reconciler(JdbcClient jdbc, TransactionTemplate tx, java.time.Clock clock, HostProperties hostProperties,
                      HostStore hosts, DeploymentStore deployments, ReplicaStore replicas, AppRevisions revisions,
                      AppSecrets secrets, AuditLog audit, ApplicationEventPublisher events, AssignmentSignals signals,
                      ReconcileTrigger trigger) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.hostProperties = hostProperties;
        this.hosts = hosts;
        this.deployments = deployments;
        this.replicas = replicas;
        this.revisions = revisions;
        this.secrets = secrets;
        this.audit = audit;
        this.events = events;
        this.signals = signals;
        this.trigger = trigger;
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
        var effects = new Effects(audit, events, signals, trigger);
        Outcome outcome = tx.execute(s -> {
            boolean locked = jdbc.sql("SELECT pg_try_advisory_xact_lock(?, 0)").param(Locks.RECONCILER)
                    .query(Boolean.class).single();
            return locked ? new Ran(round(clock.instant(), effects)) : new Skipped();
        });
        if (outcome instanceof Ran) effects.publish();
        return outcome;
    }

    /**
     * What one app's newest deployment asks for.
     *
     * @param newest the app's newest deployment
     * @param driving the deployment whose revision runs: {@code newest}, or the last succeeded one
     *                while {@code newest}'s revision misses a secret
     * @param revision {@code driving}'s app revision
     * @param blocked why starts are held back (a secret {@code revision} references is not set), or null
     * @param secretMissing which secret {@code newest}'s revision misses and how to set it, or null
     */
    private record Target(DeploymentStore.Row newest, DeploymentStore.Row driving, AppRevision revision, String blocked,
                          String secretMissing) {
        String qualified() {
            return newest.deployment().team() + "/" + newest.app();
        }
    }

    private Plan round(Instant now, Effects fx) {
        var timeout = hostProperties.heartbeatTimeout();
        var hostRows = hosts.list();
        var live = replicas.live();
        // Removed hosts are not listed: their replicas are stopped as on no registered host, and placed anew.
        var plannerHosts = hostRows.stream().map(h -> new Host(h.id(), h.memoryBytes(), h.cpuMillis(),
                h.lastHeartbeatAt() == null ? Instant.EPOCH : h.lastHeartbeatAt(), h.draining())).toList();

        var targets = new TreeMap<String, Target>();
        var removing = new ArrayList<DeploymentStore.Row>();
        var frozen = new HashSet<String>();
        for (var d : deployments.newestOfEveryApp()) {
            String qualified = d.deployment().team() + "/" + d.app();
            if (d.deployment().kind() == Deployment.Kind.REMOVE) {
                removing.add(d);
                continue;
            }
            try {
                targets.put(qualified, target(d));
            } catch (RuntimeException e) {
                // Its replicas are left out as well, so a definition that cannot be read stops nothing.
                frozen.add(qualified);
                if (frozenLogged.add(qualified)) {
                    LOG.log(System.Logger.Level.ERROR, "app " + qualified + " is left as it is: " + e.getMessage(), e);
                }
            }
        }
        frozenLogged.retainAll(frozen);

        var planned = live.stream().filter(r -> !frozen.contains(r.qualifiedApp())).toList();
        List<Replica> observed = ObservedReplicas.planned(planned, r -> revisions.find(r.revision(), r.app())
                .map(a -> DesiredApps.reserved(a.definition())).orElse(new Resources(0, 0)));
        var replicaRows = new HashMap<String, ReplicaStore.Row>();
        planned.forEach(r -> replicaRows.put(r.id(), r));
        List<Desired> desired = targets.values().stream()
                .map(t -> DesiredApps.of(t.newest().deployment().team(), t.revision().definition(), t.revision().revision()))
                .toList();
        var strategies = new HashMap<String, Strategy>();
        desired.forEach(d -> strategies.put(d.name(), d.strategy()));
        Plan plan = Planner.plan(desired, observed, plannerHosts, now, timeout);

        var busy = apply(plan, targets, strategies, planned, replicaRows, hostRows, live, now, fx);
        for (var t : targets.values()) settle(t, plan, busy.notes().get(t.qualified()), busy.apps().contains(t.qualified()), live, now, fx);
        for (var d : removing) settleRemoval(d, live, now, fx);
        return plan;
    }

    /** The apps the plan touched, and what it says about each. */
    private record Applied(Set<String> apps, Map<String, List<String>> notes) {
    }

    private Applied apply(Plan plan, Map<String, Target> targets, Map<String, Strategy> strategies,
                          List<ReplicaStore.Row> planned, Map<String, ReplicaStore.Row> replicaRows,
                          List<HostStore.Row> hostRows, List<ReplicaStore.Row> live, Instant now, Effects fx) {
        var letIn = Traffic.letIn(plan, planned);
        // Host rows first and in id order, as a heartbeat locks its host before its replicas and a
        // secret change its hosts in id order: no lock cycle.
        var moved = new TreeSet<String>();
        letIn.forEach(r -> moved.add(r.hostId()));
        for (Step step : plan.steps()) {
            switch (step) {
                case Step.Start s when targets.get(s.app()).blocked() == null -> moved.add(s.hostId());
                case Step.Stop s when replicaRows.containsKey(s.replicaId()) -> moved.add(replicaRows.get(s.replicaId()).hostId());
                default -> { }
            }
        }
        for (var h : hostRows.stream().sorted(java.util.Comparator.comparing(HostStore.Row::id)).toList()) {
            noticeLostOrReturned(h, live, now, fx);
            if (moved.contains(h.id())) hosts.bumpGeneration(h.id());
        }
        if (!moved.isEmpty()) fx.wake();

        var touched = new TreeSet<String>();
        var notes = new LinkedHashMap<String, List<String>>();
        for (Step step : plan.steps()) {
            switch (step) {
                case Step.Start s -> {
                    touched.add(s.app());
                    Target t = targets.get(s.app());
                    if (t.blocked() != null) {
                        note(notes, s.app(), t.blocked());
                        continue;
                    }
                    replicas.insert(s.replicaId(), t.driving().teamId(), t.newest().app(), s.revision(), t.driving().id(),
                            s.hostId(), now, Traffic.servesAtStart(strategies.get(s.app()), s, plan, planned));
                    fx.changed(t.newest().deployment().team(), t.newest().app());
                }
                case Step.Stop s -> {
                    var r = replicaRows.get(s.replicaId());
                    replicas.requestStop(s.replicaId(), s.reason(), now);
                    if (r != null) {
                        touched.add(r.qualifiedApp());
                        fx.changed(r.team(), r.app());
                    }
                }
                case Step.SwitchTraffic s -> {
                    // The replicas it lets in are among letIn, served below in this transaction.
                    touched.add(s.app());
                    note(notes, s.app(), "switching traffic to revision " + s.revision()
                            + ": its replicas are all healthy, the older ones stop now");
                }
                case Step.Unplaceable u -> {
                    touched.add(u.app());
                    note(notes, u.app(), "cannot place replicas of revision " + u.revision() + ": " + u.reason());
                }
                case Step.Wait w -> {
                    touched.add(w.app());
                    note(notes, w.app(), w.reason());
                }
                case Step.Failed f -> {
                    touched.add(f.app());
                    Target t = targets.get(f.app());
                    if (t != null && t.newest().revision() == f.revision()) fail(t, f.reason(), now, fx);
                }
            }
        }
        replicas.serve(letIn.stream().map(ReplicaStore.Row::id).toList());
        for (var r : letIn) {
            touched.add(r.qualifiedApp());
            fx.changed(r.team(), r.app());
        }
        return new Applied(touched, notes);
    }

    private static void note(Map<String, List<String>> notes, String app, String note) {
        var list = notes.computeIfAbsent(app, k -> new ArrayList<>());
        if (!list.contains(note)) list.add(note);
    }

    private Target target(DeploymentStore.Row d) {
        var dep = d.deployment();
        AppRevision revision = revisions.find(d.revision(), d.app()).orElseThrow(() -> new IllegalStateException(
                "deployment " + d.id() + " names revision " + d.revision() + ", which does not define " + d.app()));
        var missing = secrets.missing(d.teamId(), d.app(), revision.definition().secrets());
        if (missing.isEmpty()) return new Target(d, d, revision, null, null);

        String first = missing.getFirst();
        String blocked = "secret " + first + " is not set for " + dep.team() + "/" + d.app() + "; "
                + AppSecrets.howToSet(dep.team(), d.app(), first)
                + (missing.size() > 1 ? " (also not set: " + String.join(", ", missing.subList(1, missing.size())) + ")" : "");
        // Keep running what last succeeded rather than stop it for a revision that cannot start.
        var fallback = deployments.lastSucceeded(d.teamId(), d.app(), d.revision());
        if (fallback.isPresent()) {
            var old = revisions.find(fallback.get().revision(), d.app());
            if (old.isPresent()) {
                var oldMissing = secrets.missing(d.teamId(), d.app(), old.get().definition().secrets());
                return new Target(d, fallback.get(), old.get(), oldMissing.isEmpty() ? null : blocked, blocked);
            }
        }
        return new Target(d, d, revision, blocked, blocked);
    }

    /** The newest deployment's health gate timed out: fail it, and roll back when the app asks for it. */
    private void fail(Target t, String reason, Instant now, Effects fx) {
        var d = t.newest();
        var dep = d.deployment();
        if (dep.state() != Deployment.State.IN_PROGRESS || t.driving() != d) return;
        // The app's lock before its deployment rows, in the order pushes and rollbacks take them.
        deployments.lockApp(d.teamId(), d.app());
        if (!deployments.finish(d.id(), Deployment.State.FAILED, reason, now)) return;
        fx.audit(AuditEvent.of(AuditEvent.Actor.system(), "deployment.fail", "app:" + dep.team() + "/" + d.app())
                .team(dep.team()).detail("deployment", d.id()).detail("revision", d.revision()).detail("reason", reason));
        fx.changed(dep.team(), d.app());
        Deploy deploy = t.revision().definition().deploy();
        if (deploy == null || !deploy.autoRollback() || dep.kind() == Deployment.Kind.AUTO_ROLLBACK) return;
        // A push that committed meanwhile wins over rolling back (and has superseded this one already).
        if (deployments.newest(d.teamId(), d.app()).map(n -> n.id() != d.id()).orElse(true)) return;
        var good = deployments.lastSucceeded(d.teamId(), d.app(), d.revision());
        if (good.isEmpty()) {
            deployments.note(d.id(), "no earlier revision of the app succeeded, so there is none to roll back to");
            return;
        }
        String why = "revision " + d.revision() + " failed: " + reason;
        long id = deployments.insert(d.teamId(), d.app(), good.get().revision(), Deployment.Kind.AUTO_ROLLBACK, "system", why, now,
                null);
        deployments.note(d.id(), "rolled back to revision " + good.get().revision() + " by deployment " + id);
        fx.audit(AuditEvent.of(AuditEvent.Actor.system(), "deployment.auto-rollback", "app:" + dep.team() + "/" + d.app())
                .team(dep.team()).detail("deployment", id).detail("failed", d.id()).detail("from", d.revision())
                .detail("revision", good.get().revision()).detail("reason", why));
        fx.reconcile();
    }

    /** Ends the newest deployment when its revision runs as asked, or says what it waits for. */
    private void settle(Target t, Plan plan, List<String> notes, boolean touched, List<ReplicaStore.Row> live, Instant now,
                        Effects fx) {
        var d = t.newest();
        var dep = d.deployment();
        if (dep.state() != Deployment.State.IN_PROGRESS) return;
        if (t.driving() != d) {
            // Held for a secret while the last succeeded revision keeps running.
            if (deployments.progress(d.id(), t.secretMissing())) fx.changed(dep.team(), d.app());
            return;
        }
        int want = t.revision().definition().replicas();
        var mine = live.stream().filter(r -> r.teamId() == d.teamId() && r.app().equals(d.app())).toList();
        long healthy = mine.stream().filter(r -> r.revision() == d.revision() && r.state() == Replica.State.HEALTHY).count();
        if (!touched && Convergence.runsAsAsked(mine, d.revision(), want)) {
            Outcomes.succeed(deployments, d, dep.team(), Outcomes.ranAsAsked(want, d.revision()), now, fx);
            return;
        }
        var said = new ArrayList<String>();
        if (t.secretMissing() != null) said.add(t.secretMissing());
        if (notes != null) notes.stream().filter(n -> !said.contains(n)).forEach(said::add);
        String message = said.isEmpty()
                ? "rolling out revision " + d.revision() + ": " + healthy + " of " + want + " replicas healthy"
                : String.join("; ", said);
        if (deployments.progress(d.id(), message)) fx.changed(dep.team(), d.app());
    }

    private void settleRemoval(DeploymentStore.Row d, List<ReplicaStore.Row> live, Instant now, Effects fx) {
        var dep = d.deployment();
        if (dep.state() != Deployment.State.IN_PROGRESS) return;
        long left = live.stream().filter(r -> r.teamId() == d.teamId() && r.app().equals(d.app())).count();
        if (left == 0) {
            Outcomes.succeed(deployments, d, dep.team(), "no replicas of the app remain", now, fx);
        } else if (deployments.progress(d.id(), "stopping " + left + (left == 1 ? " replica" : " replicas")
                + ": revision " + d.revision() + " no longer defines the app")) {
            fx.changed(dep.team(), d.app());
        }
    }

    /** Audits a host whose heartbeats stopped as lost, once, and as returned when they resume. */
    private void noticeLostOrReturned(HostStore.Row h, List<ReplicaStore.Row> live, Instant now, Effects fx) {
        if (h.lastHeartbeatAt() == null) return;
        var timeout = hostProperties.heartbeatTimeout();
        boolean alive = new Host(h.id(), h.memoryBytes(), h.cpuMillis(), h.lastHeartbeatAt()).aliveAt(now, timeout);
        if (!alive && h.lostAt() == null && hosts.markLost(h.id(), now)) {
            var on = live.stream().filter(r -> r.hostId().equals(h.id())).toList();
            fx.audit(AuditEvent.of(AuditEvent.Actor.system(), "host.lost", "host:" + h.id())
                    .detail("hostname", h.hostname()).detail("lastHeartbeatAt", h.lastHeartbeatAt())
                    .detail("heartbeatTimeout", timeout)
                    .detail("replicas", String.join(",", on.stream().map(ReplicaStore.Row::id).toList())));
            on.forEach(r -> fx.changed(r.team(), r.app()));
        } else if (alive && h.lostAt() != null && hosts.markReturned(h.id())) {
            fx.audit(AuditEvent.of(AuditEvent.Actor.system(), "host.returned", "host:" + h.id())
                    .detail("hostname", h.hostname()).detail("lostAt", h.lostAt()));
        }
    }
}
