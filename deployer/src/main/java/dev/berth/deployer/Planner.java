package dev.berth.deployer;

import dev.berth.deployer.Replica.State;
import dev.berth.deployer.Step.Failed;
import dev.berth.deployer.Step.Start;
import dev.berth.deployer.Step.Stop;
import dev.berth.deployer.Step.SwitchTraffic;
import dev.berth.deployer.Step.Unplaceable;
import dev.berth.deployer.Step.Wait;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pure reconciler: {@code plan(desired, observed, hosts, now)} returns the steps that move the
 * observed replicas toward the desired apps. No I/O, no clock, no randomness: the same values give
 * the same plan, whatever order the lists come in.
 *
 * <p>It is level-triggered: each call looks only at the current state, so the caller runs the
 * steps, observes again and plans again until the plan is {@linkplain Plan#converged() empty}. A
 * round never relies on its own stops having happened: starts are counted against the state as
 * observed, so executing a plan's steps in any order keeps the strategy's limits.
 *
 * <p>Each round:
 * <ol>
 *   <li>Replicas on a host that is unknown or whose heartbeat is older than {@code heartbeatTimeout}
 *       are lost: stopped, and no longer counted, so they are replaced on live hosts. Replicas of
 *       apps that are not desired are stopped as unexpected.</li>
 *   <li>Per app, in name order: {@link State#EXITED} replicas are stopped and replaced; replicas of
 *       the desired revision {@link State#UNHEALTHY} longer than the health timeout are stopped and
 *       replaced; replicas beyond the desired count are stopped, unhealthy and newest first.</li>
 *   <li>A replica of the desired revision {@link State#STARTING} longer than the health timeout
 *       fails the health gate: a {@link Failed} step, and the rollout stops advancing (blue-green
 *       also stops its new replicas; the old ones keep serving).</li>
 *   <li>Otherwise the app's {@link Strategy} decides which replicas of other revisions to stop and
 *       how many new ones to start; each start goes to the live host with room that runs the fewest
 *       replicas of this revision, then the least loaded, and a start that fits nowhere becomes an
 *       {@link Unplaceable} step naming what is short. A rolling update stops old replicas first on
 *       hosts where a new replica is already healthy, so every host keeps serving throughout.</li>
 *   <li>A {@linkplain Host#draining() draining} host takes no new replicas. Replicas of the desired
 *       revision on it do not count toward the desired number, so replacements start on other hosts
 *       whatever the strategy; each one stops once the app keeps its desired number of healthy
 *       replicas of the revision without it (at once when it is not healthy). With nowhere to place
 *       the replacements, the replicas on the draining host keep serving.</li>
 * </ol>
 *
 * <p>New replica ids are {@code team.app.revision.index}, with the smallest index no observed
 * replica or earlier start uses.
 */
public final class Planner {
    private Planner() {
    }

    /**
     * Plans one round.
     *
     * @param desired the apps that should run, one per {@link Desired#name()}
     * @param observed every replica the agents report, in any state
     * @param hosts every registered host
     * @param now the planning instant, for heartbeats and health timeouts
     * @param heartbeatTimeout how long a host may stay silent before its replicas count as lost
     * @return the steps, in the order to run them
     * @throws IllegalArgumentException when app names, host ids or replica ids repeat
     */
    public static Plan plan(List<Desired> desired, List<Replica> observed, List<Host> hosts, Instant now,
                            Duration heartbeatTimeout) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
        Map<String, Desired> apps = new TreeMap<>();
        for (Desired d : desired) {
            if (apps.put(d.name(), d) != null) {
                throw new IllegalArgumentException("app " + d.name() + " is desired twice");
            }
        }
        Map<String, Host> hostsById = new TreeMap<>();
        for (Host h : hosts) {
            if (hostsById.put(h.id(), h) != null) {
                throw new IllegalArgumentException("host " + h.id() + " is listed twice");
            }
        }
        List<Replica> replicas = new ArrayList<>(observed);
        replicas.sort(Comparator.comparing(Replica::id));
        Set<String> usedIds = new HashSet<>();
        for (Replica r : replicas) {
            if (!usedIds.add(r.id())) {
                throw new IllegalArgumentException("replica " + r.id() + " is observed twice");
            }
        }

        List<Host> alive = hostsById.values().stream().filter(h -> h.aliveAt(now, heartbeatTimeout)).toList();
        Set<String> aliveIds = new HashSet<>();
        alive.forEach(h -> aliveIds.add(h.id()));
        Capacity capacity = new Capacity(hostsById.size(), alive, replicas, heartbeatTimeout);

        List<Step> steps = new ArrayList<>();
        Map<String, List<Replica>> byApp = new HashMap<>();
        for (Replica r : replicas) {
            if (!hostsById.containsKey(r.hostId())) {
                steps.add(new Stop(r.id(), "host " + r.hostId() + " is not registered"));
            } else if (!aliveIds.contains(r.hostId())) {
                steps.add(new Stop(r.id(), "host " + r.hostId() + " stopped sending heartbeats"));
            } else if (!apps.containsKey(r.app())) {
                steps.add(new Stop(r.id(), "unexpected: app " + r.app() + " is not desired"));
            } else {
                byApp.computeIfAbsent(r.app(), k -> new ArrayList<>()).add(r);
            }
        }
        for (Desired d : apps.values()) {
            new AppRound(d, byApp.getOrDefault(d.name(), List.of()), capacity, usedIds, now, steps).plan();
        }
        return new Plan(steps);
    }

    /** One app's share of a round. */
    private static final class AppRound {
        private final Desired d;
        private final List<Replica> replicas;
        private final Capacity capacity;
        private final Set<String> usedIds;
        private final Instant now;
        private final List<Step> out;
        private final List<Replica> current = new ArrayList<>();
        private final List<Replica> old = new ArrayList<>();
        /** Replicas of the desired revision on draining hosts: replaced elsewhere, then stopped. */
        private final List<Replica> leaving = new ArrayList<>();

        AppRound(Desired d, List<Replica> replicas, Capacity capacity, Set<String> usedIds, Instant now,
                 List<Step> out) {
            this.d = d;
            this.replicas = replicas;
            this.capacity = capacity;
            this.usedIds = usedIds;
            this.now = now;
            this.out = out;
        }

        void plan() {
            for (Replica r : replicas) {
                if (r.state() == State.EXITED) {
                    out.add(new Stop(r.id(), "exited " + ago(r) + " ago"));
                } else if (r.revision() != d.revision()) {
                    old.add(r);
                } else if (r.state() == State.UNHEALTHY && overdue(r)) {
                    out.add(new Stop(r.id(), "unhealthy for " + ago(r) + ", longer than the "
                            + Quantities.duration(d.healthTimeout()) + " health timeout"));
                } else if (capacity.draining(r.hostId())) {
                    leaving.add(r);
                } else {
                    current.add(r);
                }
            }
            scaleDown();
            advance();
            drainOff();
        }

        /** The health gate, then the strategy. */
        private void advance() {

            List<Replica> stuck = current.stream().filter(r -> r.state() == State.STARTING && overdue(r)).toList();
            if (!stuck.isEmpty()) {
                Replica first = stuck.getFirst();
                String more = stuck.size() > 1 ? " (and " + (stuck.size() - 1) + " more)" : "";
                out.add(new Failed(d.name(), d.revision(), "replica " + first.id() + " has been starting for "
                        + ago(first) + ", longer than the " + Quantities.duration(d.healthTimeout())
                        + " health timeout" + more));
                if (d.strategy() instanceof Strategy.BlueGreen && !old.isEmpty()) {
                    for (Replica r : current) {
                        out.add(new Stop(r.id(), "blue-green rollout to revision " + d.revision()
                                + " failed; the old replicas keep serving"));
                    }
                }
                return;
            }

            switch (d.strategy()) {
                case Strategy.Rolling rolling -> rolling(rolling);
                case Strategy.Recreate _ -> recreate();
                case Strategy.BlueGreen _ -> blueGreen();
            }
        }

        /**
         * Stops replicas on draining hosts: at once when they do not serve, otherwise one by one
         * while the app keeps {@code d.replicas()} healthy replicas of its revision without them.
         */
        private void drainOff() {
            long healthy = current.stream().filter(AppRound::healthy).count()
                    + leaving.stream().filter(AppRound::healthy).count();
            List<Replica> order = new ArrayList<>(leaving);
            order.sort(Comparator.comparing(AppRound::healthy).thenComparing(Replica::id));
            for (Replica r : order) {
                String why = "host " + r.hostId() + " is draining";
                if (!healthy(r)) {
                    out.add(new Stop(r.id(), why));
                } else if (healthy - 1 >= d.replicas()) {
                    out.add(new Stop(r.id(), why + "; replaced on another host"));
                    healthy--;
                }
            }
        }

        /** Stops replicas of the desired revision beyond the desired count, unhealthy and newest first. */
        private void scaleDown() {
            int surplus = current.size() - d.replicas();
            if (surplus <= 0) {
                return;
            }
            List<Replica> order = new ArrayList<>(current);
            order.sort(Comparator.comparing((Replica r) -> r.state() == State.HEALTHY)
                    .thenComparing(Replica::id, Comparator.reverseOrder()));
            for (Replica r : order.subList(0, surplus)) {
                out.add(new Stop(r.id(), "scaled down to " + replicas(d.replicas())));
                current.remove(r);
            }
        }

        private void rolling(Strategy.Rolling s) {
            int total = current.size() + old.size();
            long healthy = current.stream().filter(AppRound::healthy).count() + old.stream().filter(AppRound::healthy).count();
            long mayStop = healthy - Math.max(0, d.replicas() - s.maxUnavailable());
            // A host keeps serving the app while it still has a healthy replica: stop old replicas first
            // where a new one already serves beside them, so no host's published port goes dark.
            Set<String> servedByNew = new HashSet<>();
            current.stream().filter(AppRound::healthy).forEach(r -> servedByNew.add(r.hostId()));
            List<Replica> order = new ArrayList<>(old);
            order.sort(Comparator.comparing(AppRound::healthy)
                    .thenComparing(r -> !servedByNew.contains(r.hostId()))
                    .thenComparingLong(Replica::revision)
                    .thenComparing(Replica::id));
            for (Replica r : order) {
                if (!healthy(r)) {
                    out.add(new Stop(r.id(), "replaced by revision " + d.revision()));
                } else if (mayStop > 0) {
                    out.add(new Stop(r.id(), "replaced by revision " + d.revision()));
                    mayStop--;
                }
            }
            int room = d.replicas() + s.maxSurge() - total;
            start(Math.min(d.replicas() - current.size(), room));
            waitForStarting();
        }

        private void recreate() {
            if (!old.isEmpty()) {
                for (Replica r : old) {
                    out.add(new Stop(r.id(), "recreate: replaced by revision " + d.revision()));
                }
                return;
            }
            start(d.replicas() - current.size());
            waitForStarting();
        }

        private void blueGreen() {
            if (old.isEmpty()) {
                start(d.replicas() - current.size());
                waitForStarting();
                return;
            }
            long healthyNew = current.stream().filter(AppRound::healthy).count();
            if (healthyNew >= d.replicas()) {
                out.add(new SwitchTraffic(d.name(), d.revision()));
                for (Replica r : old) {
                    out.add(new Stop(r.id(), "replaced by revision " + d.revision() + " after the traffic switch"));
                }
                return;
            }
            start(d.replicas() - current.size());
            out.add(new Wait(d.name(), "waiting for " + (d.replicas() - healthyNew) + " of " + d.replicas()
                    + " replicas of revision " + d.revision() + " to become healthy before switching traffic"));
        }

        private void start(int count) {
            int unplaced = 0;
            for (int i = 0; i < count; i++) {
                var host = capacity.place(d.name(), d.revision(), d.resources());
                if (host.isPresent()) {
                    out.add(new Start(d.name(), d.revision(), host.get(), nextId()));
                } else {
                    unplaced++;
                }
            }
            if (unplaced > 0) {
                String several = unplaced > 1 ? " (" + replicas(unplaced) + ")" : "";
                out.add(new Unplaceable(d.name(), d.revision(), capacity.whyUnplaceable(d.resources()) + several));
            }
        }

        private void waitForStarting() {
            long starting = current.stream().filter(r -> r.state() == State.STARTING).count();
            if (starting > 0) {
                out.add(new Wait(d.name(), "waiting for " + replicas(starting) + " of revision " + d.revision() + " to become healthy"));
            }
        }

        private String nextId() {
            for (int i = 0; ; i++) {
                String id = d.team() + "." + d.app() + "." + d.revision() + "." + i;
                if (usedIds.add(id)) {
                    return id;
                }
            }
        }

        private boolean overdue(Replica r) {
            return Duration.between(r.since(), now).compareTo(d.healthTimeout()) > 0;
        }

        private String ago(Replica r) {
            return Quantities.duration(Duration.between(r.since(), now));
        }

        private static String replicas(long n) {
            return n + (n == 1 ? " replica" : " replicas");
        }

        private static boolean healthy(Replica r) {
            return r.state() == State.HEALTHY;
        }
    }
}
