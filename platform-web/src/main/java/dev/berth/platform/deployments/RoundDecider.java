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
import dev.berth.platform.secrets.AppSecrets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides a reconcile round from its snapshot: what each app's newest deployment asks for, the
 * {@link Planner}'s steps, and what they mean for replicas, hosts and deployments. Pure: values in,
 * a {@link RoundDecision} out.
 */
final class RoundDecider {
    private RoundDecider() {
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
        String team() {
            return newest.deployment().team();
        }

        String qualified() {
            return team() + "/" + newest.app();
        }
    }

    /** An app whose definition cannot be read: left as it is, with why. */
    private static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    static RoundDecision decide(RoundSnapshot s, Instant now) {
        // Removed hosts are not listed: their replicas are stopped as on no registered host, and placed anew.
        var plannerHosts = s.hosts().stream().map(h -> new Host(h.id(), h.memoryBytes(), h.cpuMillis(),
                h.lastHeartbeatAt() == null ? Instant.EPOCH : h.lastHeartbeatAt(), h.draining())).toList();
        var targets = new TreeMap<String, Target>();
        var removing = new ArrayList<DeploymentStore.Row>();
        var frozen = new LinkedHashMap<String, String>();
        for (var d : s.newest()) {
            String qualified = d.deployment().team() + "/" + d.app();
            if (d.deployment().kind() == Deployment.Kind.REMOVE) {
                removing.add(d);
                continue;
            }
            try {
                targets.put(qualified, target(s, d));
            } catch (Unreadable e) {
                // Its replicas are left out as well, so a definition that cannot be read stops nothing.
                frozen.put(qualified, e.getMessage());
            }
        }
        var planned = s.live().stream().filter(r -> !frozen.containsKey(r.qualifiedApp())).toList();
        List<Replica> observed = ObservedReplicas.planned(planned, r -> {
            var key = new AppRevisions.Key(r.revision(), r.app());
            if (s.revisions().unreadable().containsKey(key)) throw new IllegalStateException(s.revisions().unreadable().get(key));
            var a = s.revisions().found().get(key);
            return a == null ? new Resources(0, 0) : DesiredApps.reserved(a.definition());
        });
        List<Desired> desired = targets.values().stream()
                .map(t -> DesiredApps.of(t.team(), t.revision().definition(), t.revision().revision())).toList();
        var strategies = new HashMap<String, Strategy>();
        desired.forEach(d -> strategies.put(d.name(), d.strategy()));
        Plan plan = Planner.plan(desired, observed, plannerHosts, now, s.heartbeatTimeout());

        var rows = new HashMap<String, ReplicaRow>();
        planned.forEach(r -> rows.put(r.id(), r));
        // Grouped once: a blue-green rollout of a thousand apps asks for every start whether it serves at once.
        var remaining = Traffic.remaining(plan, planned);
        var letIn = Traffic.letIn(plan, remaining);
        var touched = new TreeSet<String>();
        var notes = new LinkedHashMap<String, List<String>>();
        var writes = new ArrayList<RoundDecision.Write>();
        // Hosts whose assignment changes: their generation moves.
        var moved = new TreeSet<String>();
        letIn.forEach(r -> moved.add(r.hostId()));
        // Apps whose replicas start, stop or enter traffic, and every replica before and after: for connects.
        var connectChanged = new TreeSet<String>();
        letIn.forEach(r -> connectChanged.add(r.qualifiedApp()));
        // The replicas the round starts; every live one joins them only when some app's replicas change.
        var lines = new ArrayList<Connects.Line>();
        for (Step step : plan.steps()) {
            switch (step) {
                case Step.Start st -> {
                    touched.add(st.app());
                    Target t = targets.get(st.app());
                    if (t.blocked() != null) {
                        note(notes, st.app(), t.blocked());
                        continue;
                    }
                    moved.add(st.hostId());
                    connectChanged.add(st.app());
                    lines.add(Connects.Line.of(t.team(), t.newest().app(), st.hostId(), Optional.of(t.revision().definition())));
                    writes.add(new RoundDecision.StartReplica(st.replicaId(), t.driving().teamId(), t.team(), t.newest().app(),
                            st.revision(), t.driving().id(), st.hostId(),
                            Traffic.servesAtStart(strategies.get(st.app()), st, remaining)));
                }
                case Step.Stop st -> {
                    var r = rows.get(st.replicaId());
                    if (r != null) {
                        touched.add(r.qualifiedApp());
                        moved.add(r.hostId());
                        connectChanged.add(r.qualifiedApp());
                    }
                    writes.add(new RoundDecision.StopReplica(st.replicaId(), st.reason(), r));
                }
                case Step.SwitchTraffic st -> {
                    // The replicas it lets in are among letIn, served in the same transaction.
                    touched.add(st.app());
                    note(notes, st.app(), "switching traffic to revision " + st.revision()
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
                    if (t != null && t.newest().revision() == f.revision()) fail(s, t, f.reason()).ifPresent(writes::add);
                }
            }
        }
        letIn.forEach(r -> touched.add(r.qualifiedApp()));
        // Their consumers' backends and their producers' grants change with them. A converged round
        // (nothing changed) skips the lines of its tens of thousands of replicas.
        if (!connectChanged.isEmpty()) {
            s.live().forEach(r -> lines.add(Connects.Line.of(r, Optional.ofNullable(
                    s.revisions().found().get(new AppRevisions.Key(r.revision(), r.app()))).map(AppRevision::definition))));
            moved.addAll(Connects.hostsToBump(connectChanged, lines));
        }

        var hosts = new ArrayList<RoundDecision.HostChange>();
        for (var h : s.hosts().stream().sorted(Comparator.comparing(RoundSnapshot.HostLine::id)).toList()) {
            var standing = standing(h, s, now);
            if (standing != null || moved.contains(h.id())) hosts.add(new RoundDecision.HostChange(h.id(), standing, moved.contains(h.id())));
        }

        // Grouped once: a round with thousands of rollouts must not scan every replica per deployment.
        var liveByApp = new HashMap<RoundSnapshot.AppKey, List<ReplicaRow>>();
        s.live().forEach(r -> liveByApp.computeIfAbsent(new RoundSnapshot.AppKey(r.teamId(), r.app()), k -> new ArrayList<>()).add(r));
        var settlements = new ArrayList<RoundDecision.Settlement>();
        for (var t : targets.values()) {
            var settled = settle(t, notes.get(t.qualified()), touched.contains(t.qualified()),
                    liveByApp.getOrDefault(RoundSnapshot.AppKey.of(t.newest()), List.of()));
            if (settled != null) settlements.add(settled);
        }
        for (var d : removing) {
            var settled = settleRemoval(d, liveByApp.getOrDefault(RoundSnapshot.AppKey.of(d), List.of()));
            if (settled != null) settlements.add(settled);
        }
        return new RoundDecision(now, plan, frozen, hosts, !moved.isEmpty(), writes, letIn, settlements, touched);
    }

    private static void note(Map<String, List<String>> notes, String app, String note) {
        var list = notes.computeIfAbsent(app, k -> new ArrayList<>());
        if (!list.contains(note)) list.add(note);
    }

    private static AppRevision revision(RoundSnapshot s, DeploymentStore.Row d) {
        var key = new AppRevisions.Key(d.revision(), d.app());
        String unreadable = s.revisions().unreadable().get(key);
        if (unreadable != null) throw new Unreadable(unreadable);
        return s.revisions().found().get(key);
    }

    private static Target target(RoundSnapshot s, DeploymentStore.Row d) {
        var dep = d.deployment();
        AppRevision revision = revision(s, d);
        if (revision == null) {
            throw new Unreadable("deployment " + d.id() + " names revision " + d.revision() + ", which does not define " + d.app());
        }
        Set<String> set = s.secretsSet().getOrDefault(RoundSnapshot.AppKey.of(d), Set.of());
        var missing = missing(revision, set);
        if (missing.isEmpty()) return new Target(d, d, revision, null, null);

        String first = missing.getFirst();
        String blocked = "secret " + first + " is not set for " + dep.team() + "/" + d.app() + "; "
                + AppSecrets.howToSet(dep.team(), d.app(), first)
                + (missing.size() > 1 ? " (also not set: " + String.join(", ", missing.subList(1, missing.size())) + ")" : "");
        // Keep running what last succeeded rather than stop it for a revision that cannot start.
        var fallback = s.lastSucceeded().get(RoundSnapshot.AppKey.of(d));
        if (fallback != null) {
            var old = revision(s, fallback);
            if (old != null) return new Target(d, fallback, old, missing(old, set).isEmpty() ? null : blocked, blocked);
        }
        return new Target(d, d, revision, blocked, blocked);
    }

    /** Which secrets the revision references that are not set, in name order. */
    private static List<String> missing(AppRevision revision, Set<String> set) {
        return revision.definition().secrets().stream().filter(n -> !set.contains(n)).sorted().toList();
    }

    /** The newest deployment's health gate timed out: fail it, and roll back when the app asks for it. */
    private static Optional<RoundDecision.FailDeployment> fail(RoundSnapshot s, Target t, String reason) {
        var d = t.newest();
        if (d.deployment().state() != Deployment.State.IN_PROGRESS || t.driving() != d) return Optional.empty();
        Deploy deploy = t.revision().definition().deploy();
        boolean autoRollback = deploy != null && deploy.autoRollback() && d.deployment().kind() != Deployment.Kind.AUTO_ROLLBACK;
        return Optional.of(new RoundDecision.FailDeployment(d, reason, autoRollback,
                autoRollback ? s.lastSucceeded().get(RoundSnapshot.AppKey.of(d)) : null));
    }

    /**
     * Ends the newest deployment when its revision runs as asked, or says what it waits for; null when it ended already.
     * {@code mine} are the app's live replicas.
     */
    private static RoundDecision.Settlement settle(Target t, List<String> notes, boolean touched, List<ReplicaRow> mine) {
        var d = t.newest();
        if (d.deployment().state() != Deployment.State.IN_PROGRESS) return null;
        // Held for a secret while the last succeeded revision keeps running.
        if (t.driving() != d) return new RoundDecision.Progress(d, t.secretMissing());
        int want = t.revision().definition().replicas();
        long healthy = mine.stream().filter(r -> r.revision() == d.revision() && r.state() == Replica.State.HEALTHY).count();
        if (!touched && Convergence.runsAsAsked(mine, d.revision(), want)) {
            return new RoundDecision.Succeed(d, DeploymentLifecycle.ranAsAsked(want, d.revision()));
        }
        var said = new ArrayList<String>();
        if (t.secretMissing() != null) said.add(t.secretMissing());
        if (notes != null) notes.stream().filter(n -> !said.contains(n)).forEach(said::add);
        return new RoundDecision.Progress(d, said.isEmpty()
                ? "rolling out revision " + d.revision() + ": " + healthy + " of " + want + " replicas healthy"
                : String.join("; ", said));
    }

    /** {@code mine} are the app's live replicas. */
    private static RoundDecision.Settlement settleRemoval(DeploymentStore.Row d, List<ReplicaRow> mine) {
        if (d.deployment().state() != Deployment.State.IN_PROGRESS) return null;
        long left = mine.size();
        if (left == 0) return new RoundDecision.Succeed(d, "no replicas of the app remain");
        return new RoundDecision.Progress(d, "stopping " + left + (left == 1 ? " replica" : " replicas")
                + ": revision " + d.revision() + " no longer defines the app");
    }

    /** A host whose heartbeats stopped is lost, once; it returns when they resume. */
    private static RoundDecision.Standing standing(RoundSnapshot.HostLine h, RoundSnapshot s, Instant now) {
        if (h.lastHeartbeatAt() == null) return null;
        boolean alive = new Host(h.id(), h.memoryBytes(), h.cpuMillis(), h.lastHeartbeatAt()).aliveAt(now, s.heartbeatTimeout());
        if (!alive && h.lostAt() == null) {
            return new RoundDecision.Standing.Lost(h.hostname(), h.lastHeartbeatAt(), s.heartbeatTimeout(),
                    s.live().stream().filter(r -> r.hostId().equals(h.id())).toList());
        }
        if (alive && h.lostAt() != null) return new RoundDecision.Standing.Returned(h.hostname(), h.lostAt());
        return null;
    }
}
