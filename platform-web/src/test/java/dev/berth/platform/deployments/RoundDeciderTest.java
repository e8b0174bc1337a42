package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.deployer.Replica.State;
import dev.berth.gitsync.definition.AppDefinition;
import dev.berth.gitsync.definition.Deploy;
import dev.berth.gitsync.definition.Network;
import dev.berth.gitsync.definition.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One reconcile round per case: a small snapshot, and everything the round decides, line by line. */
class RoundDeciderTest {
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    static final Deploy NO_ROLLBACK = new Deploy(Deploy.Strategy.ROLLING, 1, 0, false, null);
    static final Deploy BLUE_GREEN = new Deploy(Deploy.Strategy.BLUE_GREEN, 1, 0, true, null);
    static final String HOW = "set it with PUT /api/v1/teams/acme/apps/web/secrets/";

    /** A round's snapshot, built up by the case; team acme (id 1), its app web unless named. */
    static final class Round {
        final List<RoundSnapshot.HostLine> hosts = new ArrayList<>();
        final List<ReplicaRow> live = new ArrayList<>();
        final List<DeploymentStore.Row> newest = new ArrayList<>();
        final Map<RoundSnapshot.AppKey, DeploymentStore.Row> lastSucceeded = new HashMap<>();
        final Map<AppRevisions.Key, AppRevision> revisions = new HashMap<>();
        final Map<AppRevisions.Key, String> unreadable = new HashMap<>();
        final Map<RoundSnapshot.AppKey, Set<String>> secrets = new HashMap<>();

        Round host(String id) {
            return host(id, NOW.minusSeconds(5), null, false);
        }

        Round host(String id, Instant lastHeartbeatAt, Instant lostAt, boolean draining) {
            hosts.add(new RoundSnapshot.HostLine(id, id + ".test", 1L << 30, 2000, lastHeartbeatAt, lostAt, draining));
            return this;
        }

        /** Revision {@code revision} defines web with {@code replicas}, referencing {@code secrets}. */
        Round revision(long revision, int replicas, Deploy deploy, String... secrets) {
            var def = new AppDefinition("web", "busybox:1", List.of(), Map.of(), List.of(secrets), replicas, null,
                    Resources.DEFAULT, List.of(), null, List.of(), List.of(), List.of(), deploy, null);
            revisions.put(new AppRevisions.Key(revision, "web"), new AppRevision(revision, "c" + revision, 1, def, "sha256:ab"));
            return this;
        }

        Round revision(long revision, int replicas) {
            return revision(revision, replicas, Deploy.DEFAULT);
        }

        Round unreadable(long revision, String why) {
            unreadable.put(new AppRevisions.Key(revision, "web"), why);
            return this;
        }

        Round newest(long id, long revision, Deployment.Kind kind, Deployment.State state) {
            newest.add(deployment(id, revision, kind, state));
            return this;
        }

        Round deploying(long id, long revision) {
            return newest(id, revision, Deployment.Kind.PUSH, Deployment.State.IN_PROGRESS);
        }

        Round succeededBefore(long id, long revision) {
            lastSucceeded.put(new RoundSnapshot.AppKey(1, "web"), deployment(id, revision, Deployment.Kind.PUSH,
                    Deployment.State.SUCCEEDED));
            return this;
        }

        Round secretSet(String name) {
            secrets.computeIfAbsent(new RoundSnapshot.AppKey(1, "web"), k -> new HashSet<>()).add(name);
            return this;
        }

        /** Replica {@code web.revision.n} on {@code host}, in {@code state} for {@code age}. */
        Round replica(long revision, int n, String host, State state, Duration age) {
            return replica(revision, n, host, state, age, true);
        }

        Round replica(long revision, int n, String host, State state, Duration age, boolean serving) {
            String id = "acme.web." + revision + "." + n;
            live.add(new ReplicaRow(id, id, 1, "acme", "web", revision, 1, host, NOW.minus(age), null, null, state,
                    NOW.minus(age), NOW.minus(age), serving, null, null));
            return this;
        }

        /** App api of acme (revision 100, deployed) connects to web's port http; its replica runs on {@code host}. */
        Round consumerOn(String host) {
            var def = new AppDefinition("api", "busybox:1", List.of(), Map.of(), List.of(), 1, null, Resources.DEFAULT, List.of(),
                    null, List.of(), List.of(), List.of(), null,
                    new Network(Network.Egress.NONE, List.of(), List.of(new Network.Connect("web", "http", 8080, 1, 1))));
            revisions.put(new AppRevisions.Key(100, "api"), new AppRevision(100, "c100", 1, def, "sha256:ab"));
            newest.add(new DeploymentStore.Row(1, new Deployment(90, "acme", "api", 100, "c100", Deployment.Kind.PUSH,
                    Deployment.State.SUCCEEDED, "ada", null, NOW.minusSeconds(600), null, null)));
            live.add(new ReplicaRow("acme.api.100.0", "acme.api.100.0", 1, "acme", "api", 100, 90, host, NOW.minus(HOUR), null, null,
                    State.HEALTHY, NOW.minus(HOUR), NOW.minus(HOUR), true, null, null));
            return this;
        }

        RoundSnapshot snapshot() {
            return new RoundSnapshot(TIMEOUT, hosts, live, newest, lastSucceeded,
                    new AppRevisions.Lookup(revisions, unreadable), secrets);
        }

        private static DeploymentStore.Row deployment(long id, long revision, Deployment.Kind kind, Deployment.State state) {
            return new DeploymentStore.Row(1, new Deployment(id, "acme", "web", revision, "c" + revision, kind, state, "ada", null,
                    NOW.minusSeconds(600), null, null));
        }
    }

    record Case(String name, UnaryOperator<Round> round, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case when(String name, UnaryOperator<Round> round, String... expected) {
        return new Case(name, round, List.of(expected));
    }

    static final Duration HOUR = Duration.ofHours(1);

    static Stream<Case> rounds() {
        return Stream.of(
                // placing and settling
                when("a new app's replica is placed, its host's generation moves",
                        r -> r.host("h1").revision(1, 1).deploying(10, 1),
                        "host h1: generation",
                        "start acme.web.1.0 on h1 for deployment 10, serving",
                        "progress 10: rolling out revision 1: 0 of 1 replicas healthy"),
                when("a revision that runs as asked succeeds",
                        r -> r.host("h1").revision(1, 1).deploying(10, 1).replica(1, 0, "h1", State.HEALTHY, HOUR),
                        "succeed 10: the replica of revision 1 runs healthy"),
                when("several replicas that run as asked say all of them",
                        r -> r.host("h1").revision(1, 2).deploying(10, 1).replica(1, 0, "h1", State.HEALTHY, HOUR)
                                .replica(1, 1, "h1", State.HEALTHY, HOUR),
                        "succeed 10: all 2 replicas of revision 1 run healthy"),
                when("a deployment that ended is left as it is",
                        r -> r.host("h1").revision(1, 1).newest(10, 1, Deployment.Kind.PUSH, Deployment.State.SUCCEEDED)
                                .replica(1, 0, "h1", State.HEALTHY, HOUR)),
                when("a starting replica is waited for",
                        r -> r.host("h1").revision(1, 1).deploying(10, 1).replica(1, 0, "h1", State.STARTING, Duration.ofSeconds(5)),
                        "progress 10: waiting for 1 replica of revision 1 to become healthy"),
                // secrets
                when("a missing secret holds the start back and says how to set it",
                        r -> r.host("h1").revision(1, 1, Deploy.DEFAULT, "DB_URL").deploying(10, 1),
                        "progress 10: secret DB_URL is not set for acme/web; " + HOW + "DB_URL"),
                when("several missing secrets: the first, and the others named",
                        r -> r.host("h1").revision(1, 1, Deploy.DEFAULT, "B", "A", "C").secretSet("C").deploying(10, 1),
                        "progress 10: secret A is not set for acme/web; " + HOW + "A (also not set: B)"),
                when("a set secret holds nothing back",
                        r -> r.host("h1").revision(1, 1, Deploy.DEFAULT, "DB_URL").secretSet("DB_URL").deploying(10, 1),
                        "host h1: generation",
                        "start acme.web.1.0 on h1 for deployment 10, serving",
                        "progress 10: rolling out revision 1: 0 of 1 replicas healthy"),
                when("while a secret is missing, the last succeeded revision keeps running",
                        r -> r.host("h1").revision(1, 1).revision(2, 1, Deploy.DEFAULT, "DB_URL").succeededBefore(5, 1)
                                .deploying(10, 2).replica(1, 0, "h1", State.HEALTHY, HOUR),
                        "progress 10: secret DB_URL is not set for acme/web; " + HOW + "DB_URL"),
                when("a lost replica of the last succeeded revision is replaced while a secret is missing",
                        r -> r.host("h1").revision(1, 1).revision(2, 1, Deploy.DEFAULT, "DB_URL").succeededBefore(5, 1)
                                .deploying(10, 2),
                        "host h1: generation",
                        "start acme.web.1.0 on h1 for deployment 5, serving",
                        "progress 10: secret DB_URL is not set for acme/web; " + HOW + "DB_URL"),
                // failing and rolling back
                when("a health gate that timed out fails the deployment and rolls back to the last success",
                        r -> r.host("h1").revision(1, 1).revision(2, 1).succeededBefore(5, 1).deploying(10, 2)
                                .replica(2, 0, "h1", State.STARTING, Duration.ofMinutes(2)),
                        "fail 10: replica acme.web.2.0 has been starting for 2m, longer than the 1m health timeout;"
                                + " roll back to deployment 5 (revision 1)",
                        "progress 10: rolling out revision 2: 0 of 1 replicas healthy"),
                when("nothing succeeded before: nothing to roll back to",
                        r -> r.host("h1").revision(2, 1).deploying(10, 2).replica(2, 0, "h1", State.STARTING, Duration.ofMinutes(2)),
                        "fail 10: replica acme.web.2.0 has been starting for 2m, longer than the 1m health timeout;"
                                + " nothing to roll back to",
                        "progress 10: rolling out revision 2: 0 of 1 replicas healthy"),
                when("an app without autoRollback only fails",
                        r -> r.host("h1").revision(2, 1, NO_ROLLBACK).succeededBefore(5, 1).deploying(10, 2)
                                .replica(2, 0, "h1", State.STARTING, Duration.ofMinutes(2)),
                        "fail 10: replica acme.web.2.0 has been starting for 2m, longer than the 1m health timeout; no rollback",
                        "progress 10: rolling out revision 2: 0 of 1 replicas healthy"),
                when("an auto-rollback that fails does not roll back again",
                        r -> r.host("h1").revision(1, 1).succeededBefore(5, 2)
                                .newest(10, 1, Deployment.Kind.AUTO_ROLLBACK, Deployment.State.IN_PROGRESS)
                                .replica(1, 0, "h1", State.STARTING, Duration.ofMinutes(2)),
                        "fail 10: replica acme.web.1.0 has been starting for 2m, longer than the 1m health timeout; no rollback",
                        "progress 10: rolling out revision 1: 0 of 1 replicas healthy"),
                // hosts
                when("a host whose heartbeats stopped is lost, naming its replicas, which move",
                        r -> r.host("h1", NOW.minusSeconds(300), null, false).host("h2").revision(1, 1).deploying(10, 1)
                                .replica(1, 0, "h1", State.HEALTHY, HOUR),
                        "host h1: lost (h1.test, last heartbeat 2025-06-01T11:55:00Z, timeout PT1M30S, replicas acme.web.1.0),"
                                + " generation",
                        "host h2: generation",
                        "stop acme.web.1.0: host h1 stopped sending heartbeats",
                        "start acme.web.1.1 on h2 for deployment 10, serving",
                        // The lost replica's row still says healthy: the planner alone knows its host is gone.
                        "progress 10: rolling out revision 1: 1 of 1 replicas healthy"),
                when("a host already marked lost is not lost again",
                        r -> r.host("h1", NOW.minusSeconds(300), NOW.minusSeconds(200), false),
                        new String[0]),
                when("a lost host that reports again returns",
                        r -> r.host("h1", NOW.minusSeconds(1), NOW.minusSeconds(200), false),
                        "host h1: returned (h1.test, lost at 2025-06-01T11:56:40Z)"),
                when("a host that never reported is neither lost nor placed on",
                        r -> r.host("h1", null, null, false).revision(1, 1).deploying(10, 1),
                        "progress 10: cannot place replicas of revision 1: needs 256Mi memory and 1000m cpu;"
                                + " no host is alive: none sent a heartbeat in the last 1m30s"),
                when("a draining host's replica moves, stopped once its replacement is healthy",
                        r -> r.host("h1", NOW.minusSeconds(5), null, true).host("h2").revision(1, 1).deploying(10, 1)
                                .replica(1, 0, "h1", State.HEALTHY, HOUR),
                        "host h2: generation",
                        "start acme.web.1.1 on h2 for deployment 10, serving",
                        "progress 10: rolling out revision 1: 1 of 1 replicas healthy"),
                when("a replica on a removed host is stopped and placed anew",
                        r -> r.host("h2").revision(1, 1).deploying(10, 1).replica(1, 0, "h1", State.HEALTHY, HOUR),
                        "host h2: generation",
                        "stop acme.web.1.0: host h1 is not registered",
                        "start acme.web.1.1 on h2 for deployment 10, serving",
                        "progress 10: rolling out revision 1: 1 of 1 replicas healthy"),
                // blue-green
                when("blue-green starts the new revision out of traffic",
                        r -> r.host("h1").revision(1, 1, BLUE_GREEN).revision(2, 1, BLUE_GREEN).deploying(10, 2)
                                .replica(1, 0, "h1", State.HEALTHY, HOUR),
                        "host h1: generation",
                        "start acme.web.2.0 on h1 for deployment 10, held out of traffic",
                        "progress 10: waiting for 1 of 1 replicas of revision 2 to become healthy before switching traffic"),
                when("blue-green switches traffic once the new revision is healthy, and stops the old",
                        r -> r.host("h1").revision(1, 1, BLUE_GREEN).revision(2, 1, BLUE_GREEN).deploying(10, 2)
                                .replica(1, 0, "h1", State.HEALTHY, HOUR).replica(2, 0, "h1", State.HEALTHY, HOUR, false),
                        "host h1: generation",
                        "stop acme.web.1.0: replaced by revision 2 after the traffic switch",
                        "serve acme.web.2.0",
                        "progress 10: switching traffic to revision 2: its replicas are all healthy, the older ones stop now"),
                // removal
                // connects: api connects to web
                when("a producer's replica starts elsewhere: its consumer's host moves too (a new backend)",
                        r -> r.host("h1").host("h2").consumerOn("h2").revision(1, 1).deploying(10, 1),
                        "host h1: generation",
                        "host h2: generation",
                        "start acme.web.1.0 on h1 for deployment 10, serving",
                        "progress 10: rolling out revision 1: 0 of 1 replicas healthy"),
                when("a producer's replica stops: its consumer's host moves too (a backend gone)",
                        r -> r.host("h1").host("h2").consumerOn("h2").revision(1, 1).deploying(10, 1)
                                .replica(1, 0, "h1", State.HEALTHY, HOUR).replica(1, 1, "h1", State.HEALTHY, HOUR),
                        "host h1: generation",
                        "host h2: generation",
                        "stop acme.web.1.1: scaled down to 1 replica",
                        "progress 10: rolling out revision 1: 2 of 1 replicas healthy"),
                when("a producer and consumer that run as they are: no host moves",
                        r -> r.host("h1").host("h2").consumerOn("h2").revision(1, 1).deploying(10, 1)
                                .replica(1, 0, "h1", State.HEALTHY, HOUR),
                        "succeed 10: the replica of revision 1 runs healthy"),
                when("a removal stops the app's replicas and says how many are left",
                        r -> r.host("h1").newest(10, 3, Deployment.Kind.REMOVE, Deployment.State.IN_PROGRESS)
                                .replica(1, 0, "h1", State.HEALTHY, HOUR),
                        "host h1: generation",
                        "stop acme.web.1.0: unexpected: app acme/web is not desired",
                        "progress 10: stopping 1 replica: revision 3 no longer defines the app"),
                when("a removal's replica on a removed host is stopped; agents are woken though no listed host moves",
                        r -> r.host("h1").newest(10, 3, Deployment.Kind.REMOVE, Deployment.State.IN_PROGRESS)
                                .replica(1, 0, "h9", State.HEALTHY, HOUR),
                        "wake agents",
                        "stop acme.web.1.0: host h9 is not registered",
                        "progress 10: stopping 1 replica: revision 3 no longer defines the app"),
                when("a removal with nothing left succeeds",
                        r -> r.host("h1").newest(10, 3, Deployment.Kind.REMOVE, Deployment.State.IN_PROGRESS),
                        "succeed 10: no replicas of the app remain"),
                // apps left as they are
                when("a deployment of a revision that does not define the app leaves it as it is",
                        r -> r.host("h1").deploying(10, 7).replica(1, 0, "h1", State.HEALTHY, HOUR),
                        "frozen acme/web: deployment 10 names revision 7, which does not define web"),
                when("a definition that cannot be read leaves the app as it is",
                        r -> r.host("h1").unreadable(7, "bad json").deploying(10, 7).replica(7, 0, "h1", State.HEALTHY, HOUR),
                        "frozen acme/web: bad json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rounds")
    void decides(Case c) {
        var decision = RoundDecider.decide(c.round().apply(new Round()).snapshot(), NOW);
        assertThat(describe(decision)).containsExactlyElementsOf(c.expected());
    }

    /** The decision, one line per thing the round does, in the order it is applied. */
    static List<String> describe(RoundDecision d) {
        var out = new ArrayList<String>();
        d.frozen().forEach((app, why) -> out.add("frozen " + app + ": " + why));
        for (var h : d.hosts()) {
            var parts = new ArrayList<String>();
            switch (h.standing()) {
                case RoundDecision.Standing.Lost l -> parts.add("lost (" + l.hostname() + ", last heartbeat " + l.lastHeartbeatAt()
                        + ", timeout " + l.heartbeatTimeout() + ", replicas "
                        + String.join(",", l.replicas().stream().map(ReplicaRow::id).toList()) + ")");
                case RoundDecision.Standing.Returned r -> parts.add("returned (" + r.hostname() + ", lost at " + r.lostAt() + ")");
                case null -> { }
            }
            if (h.bump()) parts.add("generation");
            out.add("host " + h.hostId() + ": " + String.join(", ", parts));
        }
        // Said when no generation line says it already.
        if (d.wake() && d.hosts().stream().noneMatch(RoundDecision.HostChange::bump)) out.add("wake agents");
        for (var w : d.writes()) {
            out.add(switch (w) {
                case RoundDecision.StartReplica s -> "start " + s.replicaId() + " on " + s.hostId() + " for deployment "
                        + s.deploymentId() + (s.serving() ? ", serving" : ", held out of traffic");
                case RoundDecision.StopReplica s -> "stop " + s.replicaId() + ": " + s.reason();
                case RoundDecision.FailDeployment f -> "fail " + f.deployment().id() + ": " + f.reason() + "; "
                        + (!f.autoRollback() ? "no rollback" : f.rollbackTo() == null ? "nothing to roll back to"
                        : "roll back to deployment " + f.rollbackTo().id() + " (revision " + f.rollbackTo().revision() + ")");
            });
        }
        d.letIn().forEach(r -> out.add("serve " + r.id()));
        for (var s : d.settlements()) {
            out.add(switch (s) {
                case RoundDecision.Succeed ok -> "succeed " + ok.deployment().id() + ": " + ok.message();
                case RoundDecision.Progress p -> "progress " + p.deployment().id() + ": " + p.message();
            });
        }
        return out;
    }
}
